// The CLI contract a CI engineer relies on, for every command (the type checker forces a case per subcommand):
// --json validates against the schema `dqctl schema --json` ships, status and exit code agree, --format junit is
// well-formed JUnit, --format github is workflow commands, and --output writes the file instead of stdout.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { SUBCOMMANDS } from "../../commands/main.ts";
import { DEMO, DEMO_NOW, dqctl, ROOT, type RunResult, tempDir } from "../helpers/cli.ts";
import { parseWorkflowCommand } from "../helpers/workflow.ts";
import { assertJunit, findAll } from "../helpers/xml.ts";
import type { TestServer } from "../vendors/servers/http.ts";
import { startScanner } from "../vendors/servers/scanner.ts";

const SCANNERS = ["crypto.yaml", "tradfi.yaml"].map((f) => join(ROOT, "fixtures/scanners", f)).join(",");
const CANDIDATES = join(ROOT, "fixtures/demo-candidates.json");
const { dir, cleanup } = tempDir("dqctl-contract-");
const lh = join(dir, "lakehouse");
const exp = join(dir, "export");
const pinned = ["--lakehouse", lh, "--now", DEMO_NOW];
let n = 0;
const runId = () => `r${++n}`;

/** One invocation of a command (args built fresh per run, e.g. a new run id) and the exit code it must give. */
interface Call {
  args: () => string[];
  code: number;
  /** Where to run it (init writes into its working folder: never the repository). */
  cwd?: string;
  /** Environment it needs (the screener's URL). */
  env?: () => Record<string, string>;
}

/** Every subcommand's invocations: adding a command to SUBCOMMANDS without a case here fails the type check. */
const CASES: Record<keyof typeof SUBCOMMANDS, Call[]> = {
  scan: [{ args: () => ["scan", "--scanner", SCANNERS, "--run-id", runId(), "--export", exp, "--lakehouse", lh], code: 0 }],
  ingest: [
    { args: () => ["ingest", "--source", DEMO, "--candidates", CANDIDATES, ...pinned], code: 0 },
    // One series with a bad row, one empty file: the others are not stopped, the run is exit 3 and status error.
    {
      args: () => [
        "ingest",
        "--source",
        join(dir, "bad"),
        "--symbols",
        "BINANCE:BTCUSDT,BINANCE:ETHUSDT",
        "--lakehouse",
        join(dir, "bad-lh"),
        "--now",
        DEMO_NOW,
      ],
      code: 3,
    },
    // The event stream's broker down: the run succeeds, its events wait in the outbox (`stream` section).
    { args: () => ["ingest", "--source", DEMO, "--symbols", "BINANCE:BTCUSDT", "--emit", "nats://127.0.0.1:9", ...pinned], code: 0 },
    // Streaming ingest from a broker that does not answer: exit 3 naming it.
    { args: () => ["ingest", "--vendor", "stream", "--subject", "bars.>", "--stream-url", "nats://127.0.0.1:9", ...pinned], code: 3 },
  ],
  repair: [
    { args: () => ["repair", "--source", DEMO, ...pinned], code: 0 },
    { args: () => ["repair", "--source", DEMO, "--dry-run", ...pinned], code: 0 },
  ],
  audit: [
    { args: () => ["audit", "--read-only", ...pinned], code: 0 },
    { args: () => ["audit", "--read-only", "--fail-on-quality", ...pinned], code: 2 },
    { args: () => ["audit", "--read-only", "--symbols", "BINANCE:ETHUSDT", "--fail-on-quality=warning", ...pinned], code: 1 },
    { args: () => ["audit", "--lakehouse", join(dir, "nope")], code: 3 },
  ],
  metrics: [
    { args: () => ["metrics", "--lakehouse", lh], code: 0 },
    { args: () => ["metrics", "--since", "not-a-date", "--lakehouse", lh], code: 3 },
  ],
  features: [
    {
      args: () => ["features", "ingest", "--symbols", "NASDAQ:T000,NASDAQ:T001", ...pinned],
      code: 0,
      env: () => ({ DQCTL_TRADINGVIEW_SCANNER_URL: screener.url, DQCTL_HTTP_BACKOFF_MS: "1" }),
    },
    { args: () => ["features", "ingest", ...pinned], code: 3 },
  ],
  symbols: [
    { args: () => ["symbols", "--lakehouse", lh], code: 0 },
    { args: () => ["symbols", "--as-of", "2026-13-45", "--lakehouse", lh], code: 3 },
  ],
  report: [
    { args: () => ["report", "--out", join(dir, "report.html"), ...pinned], code: 0 },
    { args: () => ["report", "--out", join(dir, "report.html"), "--fail-on-quality", ...pinned], code: 2 },
  ],
  snapshot: [
    { args: () => ["snapshot", "--symbols", "BINANCE:BTCUSDT,NASDAQ:AAPL", "--run-id", runId(), "--out", join(dir, "runs"), ...pinned], code: 0 },
    { args: () => ["snapshot", "--candidates", CANDIDATES, "--run-id", runId(), "--out", join(dir, "runs"), ...pinned], code: 2 },
    { args: () => ["snapshot", "verify", join(dir, "runs", "base")], code: 0 },
  ],
  store: [
    { args: () => ["store", "init", "--store", join(dir, "store-init")], code: 0 },
    { args: () => ["store", "init", "--store", "postgres://u@/nodb"], code: 3 },
  ],
  bootstrap: [
    {
      args: () => [
        "bootstrap",
        "--symbols",
        "FX:EURUSD,NASDAQ:AAPL",
        "--vendor",
        "file",
        "--source-path",
        DEMO,
        "--cache-dir",
        join(dir, "cache"),
        "--lookback-days",
        "30",
        ...pinned,
      ],
      code: 0,
    },
  ],
  lineage: [{ args: () => ["lineage", ...pinned], code: 0 }],
  doctor: [
    { args: () => ["doctor", "--lakehouse", lh], code: 0 },
    // A cache where nothing listens: the first thing to fix, exit 3.
    { args: () => ["doctor", "--lakehouse", lh, "--cache", "redis://127.0.0.1:1/0", "--timeout", "1s"], code: 3 },
  ],
  flow: [{ args: () => ["flow", "--scanner", SCANNERS, "--source", DEMO, "--run-id", runId(), "--export", exp, ...pinned], code: 0 }],
  calendar: [
    { args: () => ["calendar", "--profile", "equity", "--from", "2024-07-01", "--to", "2024-07-05"], code: 0 },
    { args: () => ["calendar", "--profile", "moon", "--from", "2024-07-01", "--to", "2024-07-05"], code: 3 },
    // No FRED key in the test environment: a warning, no events, exit 0 (the release calendar is tested in macro-calendar.test.ts).
    { args: () => ["calendar", "--macro", "--from", "2026-11-01", "--to", "2026-11-30", "--lakehouse", join(dir, "macro-lh")], code: 0 },
    { args: () => ["calendar", "--macro", "--from", "2026-11-31", "--to", "2026-12-01", "--lakehouse", join(dir, "macro-lh")], code: 3 },
  ],
  reference: [
    { args: () => ["reference", "check", "--reference-dir", join(dir, "reference")], code: 0 },
    { args: () => ["reference", "check", "--reference-dir", join(dir, "no-reference")], code: 3 },
  ],
  schema: [{ args: () => ["schema"], code: 0 }],
  explain: [
    { args: () => ["explain", "corrupt"], code: 0 },
    { args: () => ["explain", "gapp"], code: 3 },
  ],
  init: [{ args: () => ["init"], code: 0, cwd: join(dir, "init-here") }],
  completion: [
    { args: () => ["completion", "bash"], code: 0 },
    { args: () => ["completion", "bsh"], code: 3 },
  ],
};

let validate: ReturnType<Ajv2020["compile"]>;
let screener: TestServer;
let ajv: Ajv2020;
let firstFlow: any;

beforeAll(async () => {
  screener = startScanner();
  mkdirSync(join(dir, "bad"), { recursive: true });
  mkdirSync(join(dir, "reference"), { recursive: true });
  mkdirSync(join(dir, "init-here"), { recursive: true });
  writeFileSync(join(dir, "bad/BINANCE_BTCUSDT_1d.csv"), "timestamp,open,high,low,close,volume\n2026-11-19,1,1,1,1,1\n2026-11-20,1,1,1,oops,1\n");
  writeFileSync(join(dir, "bad/BINANCE_ETHUSDT_1d.csv"), "");
  // The demo's daily job on a fresh lakehouse, and a run folder for `snapshot verify`.
  const flow = await dqctl(["flow", "--scanner", SCANNERS, "--source", DEMO, "--run-id", "first", "--export", exp, "--json", ...pinned]);
  if (flow.code !== 0) throw new Error(flow.stderr);
  firstFlow = flow.json();
  const snap = await dqctl(["snapshot", "--symbols", "BINANCE:BTCUSDT", "--run-id", "base", "--out", join(dir, "runs"), "--quiet", ...pinned]);
  if (snap.code !== 0) throw new Error(snap.stderr);
  // The schema the tool ships, as `dqctl schema --json` prints it (inside its own summary document).
  const schema = await dqctl(["schema", "--json"]);
  ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  validate = ajv.compile(schema.json().jsonSchema);
}, 60_000);
afterAll(() => {
  screener.stop();
  cleanup();
});

function checkJson(r: RunResult, call: Call, args: string[]): any {
  const where = `dqctl ${args.join(" ")}`;
  expect({ where, code: r.code }).toEqual({ where, code: call.code });
  const doc = r.json(); // stdout is exactly one JSON document
  if (!validate(doc)) throw new Error(`${where}: --json fails the schema: ${ajv.errorsText(validate.errors)}`);
  expect(doc.schema).toBe("dqctl.summary/v1");
  expect(doc.exitCode).toBe(r.code);
  if (r.code === 3) expect({ where, status: doc.status, errors: doc.errors?.length > 0 }).toEqual({ where, status: "error", errors: true });
  if (r.code === 2) expect(doc.status).toBe("error");
  if (r.code === 1) expect(doc.status).toBe("warning");
  if (doc.errors?.length) {
    expect(doc.status).toBe("error");
    for (const e of doc.errors) expect(e.code).toMatch(/^[a-z_]+$/);
  }
  return doc;
}

function checkJunit(r: RunResult, doc: any): void {
  const root = assertJunit(r.stdout);
  const suite = root.children[0]!;
  expect(suite.attrs.name).toBe(`dqctl ${doc.command}`);
  const props = Object.fromEntries(findAll(suite, "property").map((p) => [p.attrs.name, p.attrs.value]));
  expect(props.exitCode).toBe(String(r.code));
  expect(props.status).toBe(doc.status);
  const cases = findAll(root, "testcase");
  expect(cases.length).toBeGreaterThanOrEqual(Math.max(1, doc.symbols.length));
  // A failed run is never a green report: exit 2 has failures, exit 3 has errors.
  if (r.code === 2) expect(Number(suite.attrs.failures)).toBeGreaterThan(0);
  if (r.code === 3) expect(Number(suite.attrs.errors)).toBeGreaterThan(0);
}

function checkGithub(r: RunResult, doc: any): void {
  const cmds = r.stdout.trimEnd().split("\n").map(parseWorkflowCommand);
  const errors = (doc.errors?.length ?? 0) + doc.findings.filter((f: any) => f.severity === "error").length;
  expect(cmds.filter((c) => c.command === "error")).toHaveLength(errors);
  expect(cmds.filter((c) => c.command === "warning")).toHaveLength(doc.findings.length - doc.findings.filter((f: any) => f.severity === "error").length);
  expect(cmds.at(-1)!.command).toBe("notice");
  expect(cmds.at(-1)!.message).toEndWith(`exit ${r.code}`);
}

describe("every command, every format", () => {
  test("the case table covers exactly the subcommands", () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(SUBCOMMANDS).sort());
  });

  for (const [command, calls] of Object.entries(CASES)) {
    test(`${command}: --json validates and agrees with the exit code; junit and github render the same run`, async () => {
      for (const [i, call] of calls.entries()) {
        const args = call.args();
        const where = { ...(call.cwd ? { cwd: call.cwd } : {}), ...(call.env ? { env: call.env() } : {}) };
        const doc = checkJson(await dqctl([...args, "--json"], where), call, args);
        if (i > 0 && call.code !== 3) continue; // the other formats: for the first call and every failure
        const junit = await dqctl([...call.args(), "--format", "junit"], where);
        expect(junit.code).toBe(call.code);
        checkJunit(junit, doc);
        const github = await dqctl([...call.args(), "--format", "github"], where);
        expect(github.code).toBe(call.code);
        checkGithub(github, doc);
      }
    }, 60_000);
  }
});

describe("the demo flow", () => {
  test("a series quarantined whole is toxic in every run; toxic bars cut out of others are named with the quarantine folder", async () => {
    expect(firstFlow.counts).toMatchObject({ toxic: 3, missing: 0 });
    expect(firstFlow.stages.ingest.counts).toMatchObject({ quarantined: 3, toxic: 3 });
    // The planted ingest-time defects (NYSE:JPM's unsorted and repeated rows) are findings of the flow, tagged.
    expect(firstFlow.findings.filter((f: any) => f.symbol === "NYSE:JPM").map((f: any) => [f.code, f.stage])).toEqual([
      ["duplicate_rows", "ingest"],
      ["unsorted", "ingest"],
    ]);
    const second = await dqctl(["flow", "--scanner", SCANNERS, "--source", DEMO, "--run-id", "again", "--export", exp, ...pinned]);
    expect(second.code).toBe(0);
    const toxic = second.stdout.split("\n").filter((l) => /│ toxic +│/.test(l));
    expect(toxic.map((l) => l.split("│")[1]!.trim()).sort()).toEqual(["BINANCE:XRPUSDT", "NASDAQ:GOOGL", "NYSE:WMT"]);
    expect(second.stdout).toContain(`3 assets held in quarantine and toxic bars of 2 more: ${join(lh, "quarantine")}/`);
    expect(second.stdout).toMatch(/flow: error \(.*toxic 3.*\) in \d+ ms, exit 0/);
  }, 60_000);

  test("an audit of a quarantined symbol says toxic (not missing) and names its files; a plain audit lists it too", async () => {
    const one = await dqctl(["audit", "--read-only", "--symbols", "BINANCE:XRPUSDT", "--json", ...pinned]);
    const row = one.json().symbols[0];
    expect(row.status).toBe("toxic");
    expect(row.quarantined).toHaveLength(1);
    expect(existsSync(row.quarantined[0])).toBe(true);
    expect(one.json().findings.map((f: any) => f.code)).toEqual(["quarantined"]);
    // An ingest re-judges it on the vendor's answer (still stalled): toxic again, with the same files.
    const again = (await dqctl(["ingest", "--source", DEMO, "--symbols", "BINANCE:XRPUSDT", "--json", ...pinned])).json();
    expect(again.counts).toMatchObject({ quarantined: 1, toxic: 1 });
    expect(again.symbols[0]).toMatchObject({ symbol: "BINANCE:XRPUSDT", status: "toxic", quarantined: row.quarantined });
    const all = (await dqctl(["audit", "--read-only", "--json", ...pinned])).json();
    expect(all.counts.toxic).toBe(3);
    expect(
      all.symbols
        .filter((s: any) => s.status === "toxic")
        .map((s: any) => s.symbol)
        .sort(),
    ).toEqual(["BINANCE:XRPUSDT", "NASDAQ:GOOGL", "NYSE:WMT"]);
    // A series whose toxic bars were cut out is not toxic; its audit sees the hole as a gap.
    const ada = all.symbols.find((s: any) => s.symbol === "KRAKEN:ADAUSD");
    expect(ada.status).toBe("degraded");
    expect(all.findings.filter((f: any) => f.symbol === "KRAKEN:ADAUSD").map((f: any) => f.code)).toEqual(["gap"]);
  });
});

describe("output", () => {
  test("--output writes the document atomically and leaves stdout empty; an exit-3 run still writes its report", async () => {
    const file = join(dir, "reports/audit.xml");
    const r = await dqctl(["audit", "--read-only", "--format", "junit", "--output", file, ...pinned]);
    expect([r.code, r.stdout]).toEqual([0, ""]);
    expect(r.stderr).toContain(`wrote the junit summary to ${file}`);
    assertJunit(readFileSync(file, "utf8"));
    const failed = join(dir, "reports/failed.xml");
    const f = await dqctl(["audit", "--lakehouse", join(dir, "nope"), "--format", "junit", "--output", failed]);
    expect([f.code, f.stdout]).toEqual([3, ""]);
    expect(findAll(assertJunit(readFileSync(failed, "utf8")), "error")[0]!.attrs.message).toContain("lakehouse folder not found");
  });

  test("errors[] items carry a code and where the error points", async () => {
    const r = await dqctl([...CASES.ingest[1]!.args(), "--json"]);
    const errors = r.json().errors.map(({ message: _m, ...rest }: any) => rest);
    expect(errors).toEqual([
      { code: "bad_row", kind: "input", symbol: "BINANCE:BTCUSDT", file: join(dir, "bad/BINANCE_BTCUSDT_1d.csv"), line: 3, column: "close" },
      { code: "empty_file", kind: "input", symbol: "BINANCE:ETHUSDT", file: join(dir, "bad/BINANCE_ETHUSDT_1d.csv") },
    ]);
  });

  test("repair --dry-run prints its plan as a table", async () => {
    const r = await dqctl(["repair", "--source", DEMO, "--dry-run", ...pinned]);
    expect(r.stdout).toMatch(/│ BINANCE:ETHUSDT │ 1d +│ gap +│ 2026-03-10 │ 2026-03-12 │ +3 │/);
    expect(r.stdout).toMatch(/│ KRAKEN:ADAUSD +│ 1d +│ gap +│ 2026-02-01 │ 2026-02-10 │ +10 │/);
    expect(r.stdout).toContain("dry run: 4 fetches planned");
  });

  test("colour: none off a TTY or with NO_COLOR; --color forces it; --format and --json must agree", async () => {
    const plain = await dqctl(["audit", "--read-only", ...pinned]);
    expect(plain.stdout).not.toContain("\x1b[");
    const forced = await dqctl(["audit", "--read-only", "--color", ...pinned]);
    expect(forced.stdout).toContain("\x1b[31merror\x1b[39m");
    const bad = await dqctl(["audit", "--json", "--format", "junit", ...pinned]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain("--json and --format junit disagree");
  });

  test("log lines carry ISO UTC times; the same pinned run gives the same JSON in Tokyo and New York", async () => {
    const norm = (r: RunResult) => JSON.stringify({ ...r.json(), runId: "", startedAt: "", finishedAt: "", durationMs: 0 });
    for (const args of [
      ["audit", "--read-only", ...pinned],
      ["lineage", ...pinned],
      ["calendar", "--profile", "futures", "--from", "2024-03-28", "--to", "2024-04-02"],
    ]) {
      const tokyo = await dqctl([...args, "--json"], { env: { TZ: "Asia/Tokyo" } });
      const ny = await dqctl([...args, "--json"], { env: { TZ: "America/New_York" } });
      expect(norm(tokyo)).toBe(norm(ny));
      if (args[0] === "audit") expect(tokyo.stderr).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO {2}audit: \d+ series$/m);
    }
  });
});
