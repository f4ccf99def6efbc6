// `bun run build`: compile dist/dqctl, one self-contained executable (Parquet WASM embedded, no .env/bunfig autoload).
// Worker modules are extra entrypoints: Bun embeds each in the executable, where `new Worker` finds it by its path
// under src/ (see src/worker-url.ts); the CLI entry stays first, it is what the executable runs.
// Code splitting keeps each lazily imported command in its own embedded chunk: in one flat bundle every `node:`
// builtin any module imports (node:crypto pulls in the whole streams stack, ~55 ms) is loaded before `main` runs,
// which tripled the cold start of `dqctl --version`.
import pkg from "./package.json" with { type: "json" };

const result = await Bun.build({
  entrypoints: ["./src/cli.ts", "./src/pipeline/audit-worker.ts", "./src/pipeline/ingest-worker.ts"],
  splitting: true,
  minify: true,
  sourcemap: "none",
  define: { "process.env.DQCTL_BUILD": JSON.stringify(pkg.version) },
  compile: {
    outfile: "./dist/dqctl",
    autoloadDotenv: false,
    autoloadBunfig: false,
  },
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
console.error(`built dist/dqctl ${pkg.version}`);
