// `npm test`: run the whole bun:test suite and end with the line CI reads: `N passed, N failed`.
export {};

const proc = Bun.spawn([process.execPath, "test", ...process.argv.slice(2)], { stdout: "inherit", stderr: "pipe", env: process.env });
let tail = "";
const reader = proc.stderr.getReader();
const decoder = new TextDecoder();
for (;;) {
  const { value, done } = await reader.read();
  if (done) break;
  const text = decoder.decode(value, { stream: true });
  process.stderr.write(text);
  tail = (tail + text).slice(-4000);
}
const code = await proc.exited;
const passed = Number(/^\s*(\d+) pass$/m.exec(tail)?.[1] ?? 0);
const failed = Number(/^\s*(\d+) fail$/m.exec(tail)?.[1] ?? (code === 0 ? 0 : 1));
console.log(`${passed} passed, ${failed} failed`);
process.exit(code !== 0 || failed > 0 || passed === 0 ? 1 : 0);
