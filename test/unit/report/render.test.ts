// The renderers are pure functions of one summary: table, markdown, junit and github read the same document.
import { describe, expect, test } from "bun:test";
import { escapeData, escapeProperty } from "../../../src/report/render/github.ts";
import { render } from "../../../src/report/render/index.ts";
import { mdText } from "../../../src/report/render/markdown.ts";
import { stripAnsi } from "../../../src/report/render/paint.ts";
import { buildSummary, type StepResult, type Summary } from "../../../src/report/summary.ts";
import { parseWorkflowCommand } from "../../helpers/workflow.ts";
import { assertJunit, findAll, parseXml } from "../../helpers/xml.ts";

const T0 = new Date("2026-11-21T06:00:00.000Z");
const T1 = new Date("2026-11-21T06:00:01.250Z");
const NASTY = "close <0> & \"quoted\" 'x' 100% a,b:c\nsecond line\r\u0007 bell 📈";

function summary(step: Partial<StepResult> = {}, command = "audit"): Summary {
  return buildSummary(
    command,
    "20261121T060000Z-abcd",
    T0,
    T1,
    { counts: { symbols: 3, healthy: 1, degraded: 1, toxic: 1 }, symbols: [], findings: [], ...step },
    undefined,
  );
}

const rows = [
  {
    symbol: "BINANCE:BTCUSDT",
    interval: "1d",
    profile: "crypto",
    status: "healthy",
    rows: 730,
    start: "2024-11-21T00:00:00.000Z",
    end: "2026-11-20T00:00:00.000Z",
    qualityScore: 1,
  },
  {
    symbol: "NYSE:JPM",
    interval: "1d",
    profile: "equity",
    status: "degraded",
    rows: 501,
    start: "2024-11-21T00:00:00.000Z",
    end: "2026-11-20T00:00:00.000Z",
    qualityScore: 0.99,
  },
  {
    symbol: "BINANCE:SOLUSDT",
    interval: "1d",
    profile: "crypto",
    status: "toxic",
    rows: 0,
    start: null,
    end: null,
    qualityScore: null,
    quarantined: ["data/lakehouse/quarantine/BINANCE_SOLUSDT_1d.x.parquet"],
  },
];
const findings = [
  {
    code: "snapshot_id_mismatch",
    severity: "error" as const,
    symbol: "NYSE:JPM",
    interval: "1d",
    message: NASTY,
    details: { path: "data/NYSE_JPM_1d.parquet" },
  },
  { code: "duplicate_rows", severity: "warning" as const, symbol: "NYSE:JPM", interval: "1d", message: "1 duplicate rows at 1 timestamps", stage: "ingest" },
  {
    code: "quarantined",
    severity: "error" as const,
    symbol: "BINANCE:SOLUSDT",
    interval: "1d",
    message: "held in quarantine as toxic (toxic_return)",
    details: { files: ["q/a.parquet"] },
  },
  { code: "sla_freshness", severity: "warning" as const, message: "golden lakehouse: freshness 30 h over 24 h" },
];
const full = () =>
  summary({
    symbols: rows,
    findings,
    errors: [{ code: "bad_row", kind: "input", message: NASTY, symbol: "FX:GBPUSD", file: "src/FX_GBPUSD_1d.csv", line: 3, column: "close" }],
  });

describe("buildSummary", () => {
  test("status is error whenever there are operational errors (exit 3), whatever the findings say", () => {
    const s = summary({ errors: [{ code: "bad_row", kind: "input", message: "x" }] });
    expect([s.status, s.exitCode]).toEqual(["error", 3]);
    expect(summary().status).toBe("ok");
    // A forced exit 2 (a blocked snapshot) is an error too.
    expect(summary({ exitCode: 2 }).status).toBe("error");
  });

  test("gate findings decide the exit code; all findings decide the status", () => {
    const warn = { code: "duplicate_rows", severity: "warning" as const, message: "w" };
    const s = buildSummary(
      "flow",
      "r",
      T0,
      T1,
      { counts: {}, symbols: [], findings: [{ code: "bad_value", severity: "error", message: "e", stage: "ingest" }, warn], gateFindings: [warn] },
      "error",
    );
    expect([s.status, s.exitCode]).toEqual(["error", 0]);
    expect(buildSummary("flow", "r", T0, T1, { counts: {}, symbols: [], findings: [warn], gateFindings: [warn] }, "warning")).toMatchObject({
      status: "warning",
      exitCode: 1,
    });
  });
});

describe("table", () => {
  const out = render(full(), "table", { color: false, width: 100 });
  test("compact: no rule between rows; codes are never cut; long words wrap instead of being cut", () => {
    const lines = out.split("\n");
    expect(lines.filter((l) => l.startsWith("├"))).toEqual([]);
    expect(out).toContain("snapshot_id_mismatch");
    expect(out).not.toContain("…");
    expect(out).toContain("1 asset held in quarantine: data/lakehouse/quarantine/");
    expect(out).toContain("details: --json");
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
  });

  test("colour only when asked: severities and statuses coloured; without it no escape codes at all", () => {
    expect(out).not.toMatch(/\x1b\[/);
    const coloured = render(full(), "table", { color: true, width: 100 });
    expect(coloured).toContain("\x1b[31merror\x1b[39m");
    expect(coloured).toContain("\x1b[33mwarning\x1b[39m");
    expect(coloured).toContain("\x1b[35mtoxic\x1b[39m");
    expect(stripAnsi(coloured)).toBe(out);
  });

  test("daily ranges as dates, intraday as UTC minutes", () => {
    expect(out).toContain("2024-11-21");
    expect(out).not.toContain("2024-11-21T00:00");
    const intraday = render(summary({ symbols: [{ ...rows[0]!, interval: "1h", end: "2026-11-20T23:00:00.000Z" }] }), "table");
    expect(intraday).toContain("2026-11-20 23:00Z");
  });
});

describe("markdown", () => {
  const md = render(full(), "markdown");
  test("a summary line, a table of series, findings grouped by severity, operational errors", () => {
    expect(md.split("\n")[0]).toBe("### ❌ dqctl audit: error (exit 3)");
    expect(md).toContain("| symbol | interval | profile | status | rows | start | end | quality |");
    expect(md).toContain("| `NYSE:JPM` | 1d | equity | degraded | 501 |");
    const errors = md.indexOf("#### Errors (2)");
    const warnings = md.indexOf("#### Warnings (2)");
    const ops = md.indexOf("#### Operational errors (1)");
    expect(errors).toBeGreaterThan(0);
    expect(warnings).toBeGreaterThan(errors);
    expect(ops).toBeGreaterThan(warnings);
    expect(md).toContain("(ingest)");
  });

  test("text cannot break the table or inject markup", () => {
    expect(mdText("a|b <script> *x* _y_ [l](u)\nz")).toBe("a\\|b \\<script\\> \\*x\\* \\_y\\_ \\[l\\](u) z");
    for (const line of md.split("\n").filter((l) => l.startsWith("| `"))) expect(line.split(/(?<!\\)\|/).length).toBe(10);
  });

  test("a long universe folds its series table", () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ ...rows[0]!, symbol: `BINANCE:X${i}USDT` }));
    expect(render(summary({ symbols: many }), "markdown")).toContain("<details><summary>40 series</summary>");
  });
});

describe("junit", () => {
  const xml = render(full(), "junit");
  test("well-formed, one testsuite per command and one testcase per series; nasty text escaped", () => {
    const root = assertJunit(xml);
    const suite = root.children[0]!;
    expect(suite.attrs.name).toBe("dqctl audit");
    const cases = findAll(root, "testcase");
    expect(cases.map((c) => c.attrs.name)).toEqual(["BINANCE:BTCUSDT 1d", "NYSE:JPM 1d", "BINANCE:SOLUSDT 1d", "FX:GBPUSD", "audit"]);
    const jpm = cases[1]!;
    const failure = jpm.children.find((c) => c.name === "failure")!;
    expect(failure.attrs.type).toBe("snapshot_id_mismatch");
    // Escaped on the way in, decoded by the parser: the same text minus what XML cannot carry (the bell).
    expect(failure.text).toContain("close <0> & \"quoted\" 'x' 100% a,b:c\nsecond line");
    expect(failure.text).not.toContain("\u0007");
    expect(jpm.children.find((c) => c.name === "system-out")!.text).toContain("[warning] duplicate_rows (ingest)");
    // The operational error is an <error> on its series' case; a run-level warning lands on the command's case.
    expect(cases[3]!.children[0]).toMatchObject({ name: "error", attrs: { type: "bad_row" } });
    expect(cases[4]!.children[0]!.name).toBe("system-out");
    expect(suite.attrs).toMatchObject({ tests: "5", failures: "2", errors: "1" });
    const props = Object.fromEntries(findAll(suite, "property").map((p) => [p.attrs.name, p.attrs.value]));
    expect(props).toMatchObject({ status: "error", exitCode: "3", "counts.toxic": "1", warnings: "2" });
  });

  test("a command without series is one passing case", () => {
    const root = assertJunit(render(summary({ counts: { sessions: 4 } }, "calendar"), "junit"));
    expect(findAll(root, "testcase").map((c) => [c.attrs.name, c.children.length])).toEqual([["calendar", 0]]);
  });

  test("the strict parser refuses what a JUnit reader would choke on", () => {
    for (const bad of ["<a><b></a></b>", '<a x="1" x="2"/>', "<a>&nope;</a>", "<a>1 < 2</a>", "<a x=1/>", "<a/><b/>", "<a>\u0001</a>", "<a>& </a>"]) {
      expect(() => parseXml(bad)).toThrow();
    }
  });
});

describe("github", () => {
  const lines = render(full(), "github").trimEnd().split("\n");
  test("every line is a workflow command; errors first, then warnings, then a notice", () => {
    const cmds = lines.map(parseWorkflowCommand);
    expect(cmds.map((c) => c.command)).toEqual(["error", "error", "error", "warning", "warning", "notice"]);
    expect(cmds[0]!.props).toEqual({ title: "dqctl audit: bad_row FX:GBPUSD", file: "src/FX_GBPUSD_1d.csv", line: "3" });
    expect(cmds[1]!.props).toEqual({ title: "dqctl audit: snapshot_id_mismatch NYSE:JPM 1d", file: "data/NYSE_JPM_1d.parquet" });
    expect(cmds[1]!.message).toBe(NASTY);
    expect(cmds[2]!.props.file).toBe("q/a.parquet");
    expect(cmds[3]!.props.title).toBe("dqctl audit: duplicate_rows NYSE:JPM 1d (ingest)");
  });

  test("escaping follows GitHub's rules: data %, CR, LF; properties also : and ,", () => {
    expect(escapeData("100% a:b,c\r\nd")).toBe("100%25 a:b,c%0D%0Ad");
    expect(escapeProperty("100% a:b,c\r\nd")).toBe("100%25 a%3Ab%2Cc%0D%0Ad");
  });
});
