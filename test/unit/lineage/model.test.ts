import { describe, expect, test } from "bun:test";
import { ConfigError } from "../../../src/errors.ts";
import type { RunRecord } from "../../../src/lakehouse/runs.ts";
import { slaFindings } from "../../../src/lineage/index.ts";
import { type LineageMeasures, lastRun, measureNode, runAsOf, type SeriesMeasure } from "../../../src/lineage/measure.ts";
import { NODE_IDS, resolveLineage } from "../../../src/lineage/model.ts";
import { datasetName, runUuid } from "../../../src/lineage/openlineage.ts";
import { runRecord } from "../../helpers/run-record.ts";

const NOW = Date.parse("2026-11-21T06:00:00Z");
const nodes = resolveLineage({}).nodes;
const node = (id: string) => nodes.find((n) => n.id === id)!;

function rec(runId: string, command: string, extra: Partial<RunRecord> = {}): RunRecord {
  return runRecord(runId, { command, startedAt: "2026-11-24T12:00:00.000Z", finishedAt: "2026-11-24T12:00:01.000Z", ...extra });
}

function series(over: Partial<SeriesMeasure>): SeriesMeasure {
  return {
    symbol: "BINANCE:BTCUSDT",
    interval: "1d",
    profile: "crypto",
    status: "healthy",
    rows: 10,
    start: null,
    end: null,
    lastExpected: null,
    lagHours: 0,
    coverage: 1,
    qualityScore: 1,
    audited: true,
    ...over,
  };
}

describe("lineage model", () => {
  test("six nodes, upstream first, each with every attribute the document shows", () => {
    expect(nodes.map((n) => n.id)).toEqual([...NODE_IDS]);
    for (const n of nodes) {
      expect(n.freshnessSlaHours).toBeGreaterThan(0);
      expect(n.completenessTarget).toBeGreaterThan(0);
      expect(n.owners.length).toBeGreaterThan(0);
      expect(n.controls.length).toBeGreaterThan(0);
      expect(n.retention).not.toBe("");
      for (const d of n.downstream) if (NODE_IDS.includes(d as never)) expect(node(d).upstream).toContain(n.id);
    }
  });

  test("config overrides targets, retention and owners of one node only", () => {
    const { nodes: o, severity } = resolveLineage({
      lineage: { nodes: { run_snapshots: { freshnessSlaHours: 12, completenessTarget: 0.5, retention: "90 days", owners: ["quant-research"] } } },
    });
    expect(o.find((n) => n.id === "run_snapshots")).toMatchObject({
      freshnessSlaHours: 12,
      completenessTarget: 0.5,
      retention: "90 days",
      owners: ["quant-research"],
    });
    expect(o.find((n) => n.id === "golden_lakehouse")!.freshnessSlaHours).toBe(24);
    expect(severity).toBe("warning");
  });

  test.each([
    [{ nodes: { bogus: {} } }, "lineage.nodes.bogus"],
    [{ nodes: { golden_lakehouse: { freshnessSlaHours: 0 } } }, "lineage.nodes.golden_lakehouse.freshnessSlaHours"],
    [{ nodes: { golden_lakehouse: { completenessTarget: 2 } } }, "lineage.nodes.golden_lakehouse.completenessTarget"],
    [{ nodes: { golden_lakehouse: { owners: [] } } }, "lineage.nodes.golden_lakehouse.owners"],
    [{ nodes: { golden_lakehouse: { owner: ["x"] } } }, "lineage.nodes.golden_lakehouse.owner"],
    [{ severity: "fatal" }, "lineage.severity"],
  ])("a bad override is a ConfigError naming the field: %j", (lineage, field) => {
    expect(() => resolveLineage({ lineage })).toThrow(ConfigError);
    expect(() => resolveLineage({ lineage })).toThrow(field);
  });
});

describe("lineage measures", () => {
  test("a run is dated by its recorded as-of, else the pinned now its id encodes, else its end", () => {
    expect(runAsOf(rec("20261121T060000Z-abcd", "ingest"))).toBe("2026-11-21T06:00:00.000Z");
    expect(runAsOf(rec("20261121T060000Z-abcd", "ingest", { asOf: "2026-11-20T00:00:00Z" }))).toBe("2026-11-20T00:00:00.000Z");
    expect(runAsOf(rec("custom", "ingest"))).toBe("2026-11-24T12:00:01.000Z");
    const runs = [rec("20261120T060000Z-0001", "audit"), rec("20261121T060000Z-0002", "audit"), rec("20261119T060000Z-0003", "audit")];
    expect(lastRun(runs, ["audit"])!.runId).toBe("20261121T060000Z-0002");
  });

  test("freshness is the age of the last fetching run against the SLA; completeness the share of series fetched", () => {
    const old = rec("20261120T000000Z-0001", "ingest", { counts: { symbols: 10, fetched: 9, failed: 1, quarantined: 0 } });
    const m = measureNode(node("vendor_snapshots"), [], [old], NOW);
    expect(m.freshness).toMatchObject({ value: 30, target: 24, met: false });
    expect(m.completeness).toMatchObject({ value: 0.9, met: false });
    const bars = measureNode(node("normalised_bars"), [], [old], NOW);
    expect(bars.completeness).toMatchObject({ value: 1, met: true });
  });

  test("nothing recorded is 'not measured' (met null), never a miss", () => {
    for (const n of nodes) {
      const m = measureNode(n, [], [], NOW);
      expect(m.freshness.met).toBeNull();
      expect(m.completeness.met).toBeNull();
    }
  });

  test("golden: worst calendar-aware lag and mean coverage; a series without bars fails freshness", () => {
    const s = [
      series({ lagHours: 0, coverage: 1 }),
      series({ symbol: "FX:GBPUSD", lagHours: 48, coverage: 0.9, status: "stale" }),
      series({ symbol: "NYSE:XOM", lagHours: 0, coverage: 0.98, status: "degraded" }),
    ];
    const m = measureNode(node("golden_lakehouse"), s, [], NOW);
    expect(m.freshness).toMatchObject({ value: 48, met: false });
    expect(m.freshness.basis).toContain("median 0 h");
    expect(m.completeness).toMatchObject({ value: 0.96, met: true });
    expect(m.completeness.basis).toContain("min 0.9; healthy 1/3");
    const empty = measureNode(node("golden_lakehouse"), [series({ lagHours: null, coverage: 0, status: "missing" })], [], NOW);
    expect(empty.freshness.met).toBe(false);
  });

  test("diagnostics completeness: series whose stored file carries an audit verdict", () => {
    const m = measureNode(
      node("quality_diagnostics"),
      [series({}), series({ symbol: "NYSE:XOM", audited: false })],
      [rec("20261121T050000Z-0001", "audit")],
      NOW,
    );
    expect(m.completeness).toMatchObject({ value: 0.5, met: false });
    expect(m.freshness).toMatchObject({ value: 1, met: true });
  });

  test("snapshots: an aborted last attempt misses completeness; the matrix counts neutral fills", () => {
    const written = rec("20261120T060000Z-0001", "snapshot", { counts: { symbols: 2, copied: 2, gapsFilled: 3 }, symbols: [{ rows: 730 }, { rows: 727 }] });
    const aborted = rec("20261121T060000Z-0002", "snapshot", { exitCode: 2, counts: { symbols: 2, copied: 0, blocked: 1 } });
    const snap = measureNode(node("run_snapshots"), [], [written, aborted], NOW);
    expect(snap.freshness).toMatchObject({ value: 24, met: true });
    expect(snap.completeness).toMatchObject({ value: 0, met: false });
    const matrix = measureNode(node("returns_matrix"), [], [written, aborted], NOW);
    expect(matrix.completeness).toMatchObject({ value: Math.round((1457 / 1460) * 1e4) / 1e4, met: true });
  });

  test("one sla_* finding per missed target, none for unmeasured ones", () => {
    const old = rec("20261110T000000Z-0001", "ingest", { counts: { symbols: 4, fetched: 4, quarantined: 2 } });
    const measures = { nodes: nodes.map((n) => measureNode(n, [], [old], NOW)) } as LineageMeasures;
    const f = slaFindings(nodes, measures, "warning");
    expect(f.map((x) => `${x.code}:${x.details!.node}`).sort()).toEqual([
      "sla_completeness:normalised_bars",
      "sla_freshness:normalised_bars",
      "sla_freshness:vendor_snapshots",
    ]);
    expect(f.every((x) => x.severity === "warning")).toBe(true);
  });
});

describe("OpenLineage identifiers", () => {
  test("run UUIDs are deterministic, RFC 9562 version 8, and distinct per run", () => {
    const a = runUuid({ runId: "20261121T060000Z-abcd", command: "audit", startedAt: "2026-11-21T06:00:00.000Z" });
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(runUuid({ runId: "20261121T060000Z-abcd", command: "audit", startedAt: "2026-11-21T06:00:00.000Z" })).toBe(a);
    expect(runUuid({ runId: "20261121T060000Z-abce", command: "audit", startedAt: "2026-11-21T06:00:00.000Z" })).not.toBe(a);
  });

  test("dataset names follow the OpenLineage naming spec", () => {
    expect(datasetName({ name: "BINANCE_BTCUSDT_1d.parquet", kind: "parquet" }, "/data/lh")).toEqual({
      namespace: "file",
      name: "/data/lh/BINANCE_BTCUSDT_1d.parquet",
    });
    expect(datasetName({ name: "/runs/r1", kind: "snapshot" }, "/data/lh")).toEqual({ namespace: "file", name: "/runs/r1" });
    expect(datasetName({ name: "https://api.binance.com/api/v3", kind: "vendor" }, "/data/lh")).toEqual({
      namespace: "https://api.binance.com",
      name: "/api/v3",
    });
    expect(datasetName({ name: "fixtures/demo", kind: "vendor" }, "/data/lh")).toEqual({ namespace: "file", name: "fixtures/demo" });
  });
});
