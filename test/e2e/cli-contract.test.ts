// The CLI contract a CI engineer relies on, through the binary: strict flags, one parser, validated config,
// input advice, and help that teaches. Every refusal is exit 3 and exactly one line on stderr.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { CODES } from "../../src/checks/registry.ts";
import { DEMO, DEMO_NOW, dqctl, dqctlCommand, tempDir, treeHash } from "../helpers/cli.ts";

let dir: string;
let cleanup: () => void;
let lh: string;

/** Exit 3 and exactly one line on stderr matching `what`, with advice after the dash. */
async function refused(args: string[], what: RegExp | string, opts: { cwd?: string } = {}) {
  const r = await dqctl(args, opts);
  const lines = r.stderr.trimEnd().split("\n");
  expect({ args, code: r.code, lines: lines.length }).toEqual({ args, code: 3, lines: 1 });
  expect(lines[0]).toMatch(/^dqctl: .+ — .+/);
  if (typeof what === "string") expect(lines[0]).toContain(what);
  else expect(lines[0]).toMatch(what);
  return lines[0]!;
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  lh = join(dir, "lh");
  // ETHUSDT carries a gap warning only; GBPUSD is stale (an error): enough to tell the gate levels apart.
  const r = await dqctl(["ingest", "--source", DEMO, "--symbols", "BINANCE:ETHUSDT,FX:GBPUSD", "--lakehouse", lh, "--now", DEMO_NOW, "--quiet"]);
  expect(r.code).toBe(0);
});
afterAll(() => cleanup());

describe("strict parsing", () => {
  test("stray words, unknown commands and subcommands are refused with a suggestion", async () => {
    await refused(["audit", "--lakehouse", lh, "banana"], 'unexpected argument "banana" for `dqctl audit`');
    await refused(["audit", "--lakehouse", lh, "--read-only", "yes"], "--read-only takes no value");
    await refused(["audti"], 'unknown command "audti" (did you mean audit?)');
    await refused(["snapshot", "verfy", "x"], 'unknown subcommand "verfy" for `dqctl snapshot` (did you mean verify?)');
    await refused(["reference", "chek"], 'unknown subcommand "chek" for `dqctl reference` (did you mean check?)');
    await refused(["audit", "--fail-on-qualty"], "unknown flag --fail-on-qualty for `dqctl audit` (did you mean --fail-on-quality?)");
    await refused(["help", "ingset"], 'unknown command "ingset" (did you mean ingest?)');
  }, 30_000);

  test("--fail-on-quality: alone means error; warning in either form means warning; anything else is refused", async () => {
    const gate = async (...flags: string[]) =>
      (await dqctl(["audit", "--lakehouse", lh, "--symbols", "BINANCE:ETHUSDT", "--now", DEMO_NOW, "--read-only", "--quiet", ...flags])).code;
    expect(await gate()).toBe(0);
    expect(await gate("--fail-on-quality")).toBe(0); // a gap warning does not fail the error gate
    expect(await gate("--fail-on-quality", "warning")).toBe(1);
    expect(await gate("--fail-on-quality=warning")).toBe(1);
    expect(
      (await dqctl(["--fail-on-quality", "warning", "audit", "--lakehouse", lh, "--symbols", "BINANCE:ETHUSDT", "--now", DEMO_NOW, "--read-only", "--quiet"]))
        .code,
    ).toBe(1);
    expect((await dqctl(["audit", "--lakehouse", lh, "--now", DEMO_NOW, "--read-only", "--quiet", "--fail-on-quality"])).code).toBe(2); // GBPUSD is stale
    await refused(["audit", "--lakehouse", lh, "--fail-on-quality", "warn"], '--fail-on-quality: "warn" is not error or warning (did you mean warning?)');
    await refused(["audit", "--lakehouse", lh, "--fail-on-quality=fatal"], '--fail-on-quality: "fatal" is not error or warning');
  }, 30_000);

  test("global flags before or after the command; value flags as --flag value or --flag=value", async () => {
    const a = await dqctl(["--json", "--lakehouse", lh, "audit", "--now", DEMO_NOW, "--read-only"]);
    const b = await dqctl(["audit", `--lakehouse=${lh}`, `--now=${DEMO_NOW}`, "--read-only", "--json"]);
    expect(a.code).toBe(0);
    expect(a.json().symbols).toEqual(b.json().symbols);
    await refused(["--symbols", "X:Y", "audit"], "--symbols is not a global flag, so it cannot come before the command");
    await refused(["--lakehous", lh, "audit"], "(did you mean --lakehouse?)");
    await refused(["audit", "--lakehouse"], "--lakehouse needs a value");
    await refused(["audit", "--lakehouse", "a", "--lakehouse", "b"], '--lakehouse given twice ("a" and "b")');
    await refused(["audit", "--json=yes"], '--json takes no value (got "yes")');
  }, 30_000);

  test("a missing required flag is one friendly line with an example", async () => {
    await refused(["scan"], "--scanner is required for scan — pass e.g. --scanner fixtures/scanners/crypto.yaml");
    await refused(["flow", "--vendor", "file"], "--scanner is required for flow — pass e.g. --scanner fixtures/scanners/");
    await refused(["calendar", "--from", "2026-11-23", "--to", "2026-11-30"], "--profile is required for calendar — pass e.g. --profile equity");
    await refused(["snapshot", "--symbols", "BINANCE:ETHUSDT"], "--run-id is required for snapshot — pass e.g. --run-id 2026-11-21-alpha");
    await refused(["snapshot", "verify"], "DIR is required for snapshot verify — write e.g. dqctl snapshot verify artifacts/runs/");
    await refused(["completion"], "SHELL is required for completion");
  }, 30_000);
});

describe("one parser", () => {
  test("--now without an offset is UTC on any machine", async () => {
    const run = async (tz: string, now: string) => {
      const r = await dqctl(["audit", "--lakehouse", lh, "--now", now, "--read-only", "--json"], { env: { TZ: tz } });
      const doc = r.json();
      return { runId: doc.runId.slice(0, 16), findings: doc.findings, symbols: doc.symbols };
    };
    const tokyo = await run("Asia/Tokyo", "2026-11-21T06:00");
    const newYork = await run("America/New_York", "2026-11-21T06:00");
    expect(tokyo.runId).toBe("20261121T060000Z");
    expect(newYork).toEqual(tokyo);
    expect(await run("America/New_York", "2026-11-21T06:00:00Z")).toEqual(tokyo);
    // The stale finding's age is measured from "now": it would differ by 14 h if either machine read local time.
    const stale = tokyo.findings.find((f: any) => f.code === "stale");
    expect(stale.metrics.ageHours).toBe((Date.parse("2026-11-21T06:00:00Z") - Date.parse("2026-11-06T00:00:00Z")) / 3_600_000);
  }, 30_000);

  test("exact instants, dates, durations and counts", async () => {
    await refused(["audit", "--lakehouse", lh, "--now", "2026-02-30"], '--now: "2026-02-30" is not a date (February 2026 has 28 days)');
    await refused(["audit", "--lakehouse", lh, "--now", "2026-11-21T06:99"], "has minute 99");
    await refused(["audit", "--lakehouse", lh, "--now", "0050-01-01"], "has year 0050, outside 1900–2200");
    await refused(["audit", "--lakehouse", lh, "--from", "2026-13-01"], '--from: "2026-13-01" has month 13');
    await refused(["audit", "--lakehouse", lh, "--wait-lock", "soon"], '--wait-lock: "soon" is not a duration');
    await refused(["repair", "--lakehouse", lh, "--source", DEMO, "--max-fills", "-1"], '--max-fills: "-1" is not a whole number ≥ 0');
    await refused(["repair", "--lakehouse", lh, "--source", DEMO, "--max-time", "5 minutes"], '--max-time: "5 minutes" is not a duration');
    await refused(
      ["ingest", "--lakehouse", lh, "--source", DEMO, "--symbols", "BINANCE:ETHUSDT", "--lookback-days", "1e3"],
      '--lookback-days: "1e3" is not a whole number ≥ 0',
    );
    await refused(["calendar", "--profile", "equity", "--from", "2026-11-23", "--to", "2026-11-2"], '--to: "2026-11-2" is not a date (YYYY-MM-DD)');
    await refused(
      ["bootstrap", "--symbols", "X", "--vendor", "file", "--source", DEMO, "--minimum-coverage", "1.5"],
      '--minimum-coverage: "1.5" is not a number between 0 and 1',
    );
    await refused(
      ["bootstrap", "--symbols", "X", "--vendor", "file", "--source", DEMO, "--start", "2026-02-29"],
      '--start: "2026-02-29" is not a date (February 2026 has 28 days)',
    );
  }, 30_000);
});

describe("config validated to the leaves", () => {
  test("typos under checks, vendors and the top level; syntax errors with line and column; YAML", async () => {
    const cfg = (name: string, text: string) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return ["audit", "--lakehouse", lh, "--config", p];
    };
    await refused(cfg("a.json", '{"checks":{"gap":{"maxGapDay":3}}}'), "a.json: checks.gap.maxGapDay is not an option of gap (did you mean maxGapDays?)");
    await refused(cfg("b.json", '{"vendors":{"yahoo":{"retry":3}}}'), "b.json: vendors.yahoo.retry is not a setting of vendor yahoo (did you mean retries?)");
    const top = await refused(cfg("c.json", '{"lakehous":"x"}'), "c.json: lakehous is not a setting (did you mean lakehouse?)");
    expect(top).not.toContain("Expected never");
    await refused(cfg("d.json", '{\n  "checks": {\n    "gap": { "maxGapDays": 5, }\n  }\n}'), 'd.json:3:31: malformed JSON: a trailing comma before "}"');
    await refused(cfg("e.yaml", "checks:\n  gap:\n    maxGapDay: 3\n"), "e.yaml: checks.gap.maxGapDay is not an option of gap (did you mean maxGapDays?)");
    await refused(cfg("f.yml", "checks:\n  gap: {maxGapDays: 3\n"), /f\.yml:3:1: malformed YAML: /);
    const ok = await dqctl([...cfg("g.yaml", "checks:\n  gap:\n    maxGapDays: 1\n"), "--now", DEMO_NOW, "--read-only", "--json"]);
    expect(ok.code).toBe(0);
    expect(ok.json().findings.find((f: any) => f.code === "gap").severity).toBe("error"); // a 3-day gap over a 1-day limit
  }, 30_000);
});

describe("input advice", () => {
  test("a missing file-vendor source file names the names looked for and what is there", async () => {
    const r = await dqctl([
      "ingest",
      "--source",
      DEMO,
      "--symbols",
      "BINANCE:BTCUSDT",
      "--interval",
      "1m",
      "--lakehouse",
      join(dir, "lh-missing"),
      "--now",
      DEMO_NOW,
      "--quiet",
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(
      "no file for BINANCE:BTCUSDT 1m: looked for BINANCE_BTCUSDT_1m.csv, BINANCE_BTCUSDT_1m.parquet, BINANCE_BTCUSDT_1m.jsonl, BINANCE_BTCUSDT_1m.ndjson",
    );
    expect(r.stderr).toContain("(did you mean BINANCE_BTCUSDT_1d.csv?)");
    expect(r.stderr).toContain("the folder holds AMEX_SPY_1m.csv");
  }, 30_000);

  test("semicolon- and tab-separated CSVs are read", async () => {
    const src = join(dir, "seps");
    mkdirSync(src);
    const csv = readFileSync(join(DEMO, "BINANCE_BTCUSDT_1d.csv"), "utf8");
    writeFileSync(join(src, "BINANCE_BTCUSDT_1d.csv"), csv.replaceAll(",", ";"));
    writeFileSync(join(src, "NASDAQ_AAPL_1d.csv"), readFileSync(join(DEMO, "NASDAQ_AAPL_1d.csv"), "utf8").replaceAll(",", "\t"));
    const r = await dqctl([
      "ingest",
      "--source",
      src,
      "--symbols",
      "BINANCE:BTCUSDT,NASDAQ:AAPL",
      "--lakehouse",
      join(dir, "lh-seps"),
      "--now",
      DEMO_NOW,
      "--json",
    ]);
    expect(r.code).toBe(0);
    expect(r.json().symbols.map((s: any) => [s.symbol, s.status, s.rows > 400])).toEqual([
      ["BINANCE:BTCUSDT", "healthy", true],
      ["NASDAQ:AAPL", "healthy", true],
    ]);
  }, 30_000);

  // Root writes anywhere, so as root the binary runs as nobody (setpriv); elsewhere plain permissions do it.
  const root = process.getuid?.() === 0;
  const setpriv = Bun.which("setpriv");
  test.skipIf(root && !setpriv)(
    "a read-only lakehouse is refused before any work, with --read-only advice",
    async () => {
      const ro = join(dir, "ro");
      mkdirSync(ro);
      chmodSync(dir, 0o755);
      const ing = await dqctl(["ingest", "--source", DEMO, "--symbols", "BINANCE:ETHUSDT", "--lakehouse", join(ro, "lh"), "--now", DEMO_NOW, "--quiet"]);
      expect(ing.code).toBe(0);
      const roLh = join(ro, "lh");
      Bun.spawnSync(["chmod", "-R", "a+rX", ro]);
      chmodSync(roLh, 0o555);
      const before = treeHash(roLh);
      const run = (args: string[]) => {
        const cmd = [...(root ? [setpriv!, "--reuid=65534", "--regid=65534", "--clear-groups"] : []), ...dqctlCommand(), ...args];
        const p = Bun.spawnSync(cmd, { cwd: dir, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1", HOME: dir } });
        return { code: p.exitCode, stderr: p.stderr.toString() };
      };
      try {
        const audit = run(["audit", "--lakehouse", roLh, "--now", DEMO_NOW]);
        expect(audit.code).toBe(3);
        expect(audit.stderr.trim().split("\n")).toHaveLength(1);
        expect(audit.stderr).toContain(`lakehouse ${roLh} is not writable (EACCES) — pass --read-only to audit without writing`);
        expect(run(["ingest", "--source", DEMO, "--symbols", "BINANCE:ETHUSDT", "--lakehouse", roLh, "--now", DEMO_NOW]).stderr).toContain(
          "is not writable (EACCES) — fix the folder's permissions",
        );
        expect(run(["audit", "--lakehouse", roLh, "--now", DEMO_NOW, "--read-only", "--quiet"]).code).toBe(0);
        expect(treeHash(roLh)).toEqual(before);
      } finally {
        chmodSync(roLh, 0o755);
      }
    },
    30_000,
  );
});

describe("help that teaches", () => {
  test("own flags first, then global flags; required flags in USAGE; examples; defaults", async () => {
    const h = (await dqctl(["scan", "--help"])).stdout;
    expect(h).toContain("USAGE\n  dqctl scan --scanner FILES [flags]");
    const own = h.indexOf("\nFLAGS");
    const global = h.indexOf("\nGLOBAL FLAGS");
    expect(own).toBeGreaterThan(0);
    expect(h.indexOf("--scanner FILES", own)).toBeLessThan(global);
    expect(h.indexOf("--lakehouse DIR")).toBeGreaterThan(global);
    expect(h).toContain("(default: export)");
    expect(h).toMatch(/EXAMPLES\n {2}dqctl scan --scanner /);
    const cal = (await dqctl(["calendar", "--help"])).stdout;
    expect(cal).toContain("dqctl calendar --profile P --from D --to D [flags]");
  }, 30_000);

  test("subcommands are listed; `dqctl help <cmd>` is `dqctl <cmd> --help`; no internal references", async () => {
    const top = await dqctl(["--help"]);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain("snapshot verify");
    expect(top.stdout).toContain("reference check");
    expect((await dqctl(["snapshot", "--help"])).stdout).toMatch(/SUBCOMMANDS\n {2}verify /);
    expect((await dqctl(["reference", "--help"])).stdout).toMatch(/SUBCOMMANDS\n {2}check /);
    const names = [
      "scan",
      "ingest",
      "repair",
      "audit",
      "snapshot",
      "snapshot verify",
      "bootstrap",
      "lineage",
      "doctor",
      "flow",
      "calendar",
      "reference",
      "reference check",
      "schema",
      "explain",
      "init",
      "completion",
    ];
    for (const texts of [[top.stdout], await Promise.all(names.map(async (n) => (await dqctl([...n.split(" "), "--help"])).stdout))]) {
      for (const t of texts) expect(t).not.toMatch(/seed \d|SPEC §/i);
    }
    for (const n of ["ingest", "snapshot verify", "audit"]) {
      const a = await dqctl(["help", ...n.split(" ")]);
      expect(a.code).toBe(0);
      expect(a.stdout).toBe((await dqctl([...n.split(" "), "--help"])).stdout);
    }
  }, 30_000);

  test("explain covers every registered code", async () => {
    const list = await dqctl(["explain"]);
    expect(list.code).toBe(0);
    const runs = await Promise.all(CODES.map((c) => dqctl(["explain", c.code])));
    for (const [i, c] of CODES.entries()) {
      expect(list.stdout).toContain(c.code);
      const r = runs[i]!;
      expect({ code: c.code, exit: r.code }).toEqual({ code: c.code, exit: 0 });
      expect(r.stdout.startsWith(`${c.code} — ${c.rule}`)).toBe(true);
      expect(r.stdout).toContain(`default severity  ${c.severity}`);
      expect(r.stdout).toContain(`EXAMPLE FINDING\n  ${c.code}: ${c.example}`);
      for (const k of Object.keys(c.options)) expect(r.stdout).toContain(`  ${k} `);
    }
    const gap = (await dqctl(["explain", "gap"])).stdout;
    expect(gap).toMatch(/maxGapSessions\s+5\s+a gap of more missing sessions than this is an error/);
    expect(gap).toContain('{"checks":{"gap":{"maxGapSessions":5}}}');
    expect((await dqctl(["explain", "gap", "--json"])).json().codes[0]).toMatchObject({ code: "gap", options: { maxGapSessions: { default: 5 } } });
    await refused(["explain", "gapp"], 'unknown finding code "gapp" (did you mean gap?)');
  }, 30_000);
});

describe("init and completion", () => {
  test("init writes the starter files, which work; a second run overwrites nothing", async () => {
    const { dir: here, cleanup: done } = tempDir("dqctl-init-");
    try {
      const first = await dqctl(["init"], { cwd: here });
      expect(first.code).toBe(0);
      const files = [
        "dqctl.config.json",
        "config/reference/instruments.json",
        "config/reference/holidays.json",
        "config/reference/sessions.json",
        "scanners/example.yaml",
        ".github/workflows/dqctl.yml",
      ];
      for (const f of files) expect(first.stdout).toContain(`wrote  ${f}`);
      // The starter config and reference files validate; the scanner runs; the workflow is YAML with a job.
      expect((await dqctl(["reference", "check", "--quiet"], { cwd: here })).code).toBe(0);
      const scan = await dqctl(["scan", "--scanner", "scanners/example.yaml", "--json"], { cwd: here });
      expect(scan.code).toBe(0);
      expect(scan.json().counts.candidates).toBe(3);
      const wf = parseYaml(readFileSync(join(here, ".github/workflows/dqctl.yml"), "utf8"));
      expect(wf.jobs.dqctl.steps.some((s: any) => String(s.run).includes("--fail-on-quality"))).toBe(true);
      writeFileSync(join(here, "dqctl.config.json"), '{ "lakehouse": "mine" }\n');
      const before = treeHash(here);
      const again = await dqctl(["init"], { cwd: here });
      expect(again.code).toBe(0);
      for (const f of files) expect(again.stdout).toContain(`kept   ${f}`);
      expect(again.stdout).toContain("wrote 0 of 6 files");
      expect(treeHash(here)).toEqual(before);
    } finally {
      done();
    }
  }, 30_000);

  test("completion scripts parse and complete commands, flags and values", async () => {
    const bash = await dqctl(["completion", "bash"]);
    expect(bash.code).toBe(0);
    const script = join(dir, "dqctl.bash");
    writeFileSync(script, bash.stdout);
    expect(Bun.spawnSync(["bash", "-n", script]).exitCode).toBe(0);
    const complete = (...words: string[]) => {
      const line = `source ${script}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _dqctl; printf '%s\\n' "\${COMPREPLY[@]}"`;
      return Bun.spawnSync(["bash", "-c", line]).stdout.toString().trim().split("\n");
    };
    expect(complete("dqctl", "au")).toEqual(["audit"]);
    expect(complete("dqctl", "audit", "--fail-on")).toEqual(["--fail-on-quality"]);
    expect(complete("dqctl", "ingest", "--vendor", "bin")).toEqual(["binance"]);
    expect(complete("dqctl", "--lakehouse", "x", "snapshot", "v")).toEqual(["verify"]);
    expect(complete("dqctl", "explain", "false")).toEqual(["false_tick"]);
    expect(complete("dqctl", "snapshot", "verify", "--")).toContain("--json");
    for (const shell of ["zsh", "fish"] as const) {
      const r = await dqctl(["completion", shell]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(shell === "zsh" ? "#compdef dqctl" : "complete -c dqctl");
      const bin = Bun.which(shell);
      if (!bin) continue; // checked where the shell is installed
      const p = join(dir, `dqctl.${shell}`);
      writeFileSync(p, r.stdout);
      expect(Bun.spawnSync(shell === "zsh" ? [bin, "-n", p] : [bin, "--no-execute", p]).exitCode).toBe(0);
    }
    await refused(["completion", "bsh"], 'completion: unknown shell "bsh" (did you mean bash?)');
  }, 30_000);
});
