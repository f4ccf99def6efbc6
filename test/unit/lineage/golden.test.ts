import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { VERSION } from "../../../src/version.ts";
import { assertSummary, DEMO_NOW, DEMO_SETUP_MS, ROOT, tempDir } from "../../helpers/cli.ts";
import { buildDemo, dq } from "./_helpers.ts";

// `UPDATE_GOLDEN=1 bun test test/unit/lineage` rewrites the golden file after a deliberate change.
const GOLDEN = join(ROOT, "test/golden/data_lineage.md");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

/** Remove what differs between machines and runs: the temp folder, run ids (random suffix) and the tool version. */
function normalise(md: string, dir: string): string {
  return md
    .replaceAll(dir, "<tmp>")
    .replace(/\b\d{8}T\d{6}Z-[0-9a-f]{4}\b/g, "<run-id>")
    .replace(`dqctl ${VERSION} (`, "dqctl <version> (");
}

const { dir, cleanup } = tempDir("dqctl-lineage-golden-");
let lh = "";
beforeAll(async () => {
  lh = await buildDemo(dir);
}, DEMO_SETUP_MS);
afterAll(() => cleanup());

describe("dqctl lineage (Markdown)", () => {
  test("the demo lakehouse with --now pinned renders the golden document", async () => {
    const r = await dq(["lineage", "--lakehouse", lh, "--now", DEMO_NOW], dir);
    expect(r.code).toBe(0);
    const got = normalise(r.stdout, dir);
    if (UPDATE) writeFileSync(GOLDEN, got);
    expect(got).toBe(readFileSync(GOLDEN, "utf8"));
  });

  test("the document is deterministic: a second run gives the same bytes, and --out writes them", async () => {
    const a = await dq(["lineage", "--lakehouse", lh, "--now", DEMO_NOW], dir);
    const out = join(dir, "docs/deployment/data_lineage.md");
    const b = await dq(["lineage", "--lakehouse", lh, "--now", DEMO_NOW, "--out", out], dir);
    expect(b.code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(a.stdout);
    expect(b.stdout).not.toContain("# Data lineage"); // stdout carries the summary, not the document
    expect(b.stdout).toContain("lineage:");
  });

  test("--json prints the summary with the measured figures; missed targets are sla_* warnings", async () => {
    const r = await dq(["lineage", "--lakehouse", lh, "--now", DEMO_NOW, "--json"], dir);
    expect(r.code).toBe(0);
    const doc = assertSummary(r.json());
    expect(doc.command).toBe("lineage");
    expect(doc.lineage.nodes.map((n: { id: string }) => n.id)).toEqual([
      "vendor_snapshots",
      "normalised_bars",
      "golden_lakehouse",
      "quality_diagnostics",
      "run_snapshots",
      "returns_matrix",
      "feature_store",
    ]);
    const golden = doc.lineage.nodes.find((n: { id: string }) => n.id === "golden_lakehouse");
    // FX:GBPUSD is planted stale: its last bar trails its calendar by two weeks.
    expect(golden.measured.freshness).toMatchObject({ value: 336, target: 24, met: false });
    expect(doc.findings).toContainEqual(
      expect.objectContaining({ code: "sla_freshness", severity: "warning", details: expect.objectContaining({ node: "golden_lakehouse" }) }),
    );
    expect(doc.findings.every((f: { code: string }) => f.code.startsWith("sla_"))).toBe(true);
    expect(doc.status).toBe("warning");
    const gbp = doc.symbols.find((s: { symbol: string }) => s.symbol === "FX:GBPUSD");
    expect(gbp).toMatchObject({ status: "stale", lagHours: 336 });
  });

  test("a missed target gates only with --fail-on-quality=warning (exit 1)", async () => {
    expect((await dq(["lineage", "--lakehouse", lh, "--now", DEMO_NOW, "--fail-on-quality"], dir)).code).toBe(0);
    expect((await dq(["lineage", "--lakehouse", lh, "--now", DEMO_NOW, "--fail-on-quality=warning"], dir)).code).toBe(1);
  });

  test("config overrides the targets; lineage.severity=error makes a miss fail the plain gate", async () => {
    const cfg = join(dir, "lineage.config.json");
    writeFileSync(
      cfg,
      JSON.stringify({
        lineage: {
          severity: "error",
          nodes: { golden_lakehouse: { freshnessSlaHours: 400, owners: ["desk-a"] }, normalised_bars: { completenessTarget: 0.5 } },
        },
      }),
    );
    const r = await dq(["lineage", "--lakehouse", lh, "--now", DEMO_NOW, "--config", cfg, "--json", "--fail-on-quality"], dir);
    const doc = r.json();
    const golden = doc.lineage.nodes.find((n: { id: string }) => n.id === "golden_lakehouse");
    expect(golden).toMatchObject({ freshnessSlaHours: 400, owners: ["desk-a"], measured: { freshness: { met: true } } });
    expect(doc.counts.missed).toBe(0);
    expect(r.code).toBe(0);

    writeFileSync(cfg, JSON.stringify({ lineage: { severity: "error", nodes: { golden_lakehouse: { freshnessSlaHours: 1 } } } }));
    const gated = await dq(["lineage", "--lakehouse", lh, "--now", DEMO_NOW, "--config", cfg, "--fail-on-quality"], dir);
    expect(gated.code).toBe(2);
  });

  test("a bad lineage override is exit 3 naming the field", async () => {
    const cfg = join(dir, "bad.config.json");
    writeFileSync(cfg, JSON.stringify({ lineage: { nodes: { golden_lakehouse: { completenessTarget: 1.5 } } } }));
    const r = await dq(["lineage", "--lakehouse", lh, "--now", DEMO_NOW, "--config", cfg], dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("nodes.golden_lakehouse.completenessTarget");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  test("a missing lakehouse is exit 3; a bad --format is exit 3", async () => {
    expect((await dq(["lineage", "--lakehouse", join(dir, "nope"), "--now", DEMO_NOW], dir)).code).toBe(3);
    const r = await dq(["lineage", "--lakehouse", lh, "--format", "yaml"], dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("--format");
  });
});
