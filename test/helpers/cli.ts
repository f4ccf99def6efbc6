// Spawn dqctl as a user would: the compiled binary when built (CI builds it first), else the sources under Bun.
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { SUMMARY_JSON_SCHEMA } from "../../src/report/schema.ts";

export const ROOT = resolve(import.meta.dir, "../..");
export const BINARY = join(ROOT, "dist/dqctl");
export const DEMO = join(ROOT, "fixtures/demo");
export const DEMO_NOW = "2026-11-21T06:00:00Z";
/** Timeout of a hook that ingests the whole demo (20 series, twice in some): bun's 5 s default is too tight on a loaded CI machine. */
export const DEMO_SETUP_MS = 60_000;

/** The command prefix that runs dqctl: `DQCTL_TEST_RUNNER=source` forces the sources. */
export function dqctlCommand(): string[] {
  if (process.env.DQCTL_TEST_RUNNER !== "source" && existsSync(BINARY)) return [BINARY];
  return [process.execPath, join(ROOT, "src/cli.ts")];
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  json: () => any;
}

/** This process's environment without DQCTL_*, with NO_COLOR and `extra`: what a hermetic dqctl run gets. */
export function hermeticEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("DQCTL_")) env[k] = v;
  return Object.assign(env, { NO_COLOR: "1" }, extra);
}

/** Run dqctl with args in `cwd`; env is cleaned of DQCTL_* so tests are hermetic. */
export async function dqctl(args: string[], opts: { cwd?: string; env?: Record<string, string>; stdin?: string } = {}): Promise<RunResult> {
  const env = hermeticEnv(opts.env);
  const proc = Bun.spawn([...dqctlCommand(), ...args], { cwd: opts.cwd ?? ROOT, env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

/** A fresh temp folder, removed by the returned cleanup. */
export function tempDir(prefix = "dqctl-test-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The compiled binary copied alone into a fresh temp folder (nothing of dqctl beside it); `npm test` builds it first. */
export function binaryAlone(): { dir: string; bin: string; cleanup: () => void } {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} missing: run \`bun run build\` first`);
  const t = tempDir();
  const bin = join(t.dir, "dqctl");
  copyFileSync(BINARY, bin);
  chmodSync(bin, 0o755);
  return { ...t, bin };
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validateSummary = ajv.compile(SUMMARY_JSON_SCHEMA);

/** Assert a --json document validates against the shipped schema; returns it. */
export function assertSummary(doc: unknown): any {
  if (!validateSummary(doc)) throw new Error(`summary fails the JSON Schema: ${ajv.errorsText(validateSummary.errors)}`);
  return doc;
}

/** sha256 of every file in a folder (recursively), to prove nothing changed. */
export function treeHash(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(root)) return out;
  for (const e of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    out[p.slice(root.length)] = createHash("sha256").update(readFileSync(p)).digest("hex");
  }
  return out;
}
