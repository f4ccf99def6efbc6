// `npm test`: run the whole bun:test suite and end with the line CI reads: `N passed, N failed`.
export {};

// bunfig.toml's [test] table has no timeout key: the per-test (and hook) timeout is given here, long enough for
// e2e tests that spawn the binary on a busy 2-core machine, unless the caller passes its own.
const args = process.argv.slice(2);
if (!args.some((a) => a.startsWith("--timeout"))) args.unshift("--timeout", "60000");
const proc = Bun.spawn([process.execPath, "test", ...args], { stdout: "inherit", stderr: "pipe", env: process.env });
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
