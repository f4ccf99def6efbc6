import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { FACET_SCHEMA_URLS, RUN_EVENT_SCHEMA_URL, runUuid } from "../../../src/lineage/openlineage.ts";
import { DEMO_NOW, DEMO_SETUP_MS, ROOT, tempDir } from "../../helpers/cli.ts";
import { buildDemo, dq } from "./_helpers.ts";

// The official OpenLineage JSON Schemas (run event 2-0-2 and the facets), committed with their source in test/schemas.
const SCHEMAS = resolve(ROOT, "test/schemas/openlineage");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Ev = Record<string, any>;
const { dir, cleanup } = tempDir("dqctl-openlineage-");
let lh = "";
let events: Ev[] = [];
beforeAll(async () => {
  lh = await buildDemo(dir, { snapshot: true });
  const r = await dq(["lineage", "--lakehouse", lh, "--now", DEMO_NOW, "--format", "openlineage"], dir);
  if (r.code !== 0) throw new Error(r.stderr);
  events = r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}, DEMO_SETUP_MS);
afterAll(() => cleanup());

describe("OpenLineage events", () => {
  test("one START and one COMPLETE per recorded run, sharing a deterministic UUID run id", () => {
    expect(events.map((e) => `${e.job.name}:${e.eventType}`)).toEqual([
      "ingest:START",
      "ingest:COMPLETE",
      "audit:START",
      "audit:COMPLETE",
      "snapshot:START",
      "snapshot:COMPLETE",
    ]);
    for (let i = 0; i < events.length; i += 2) {
      const [start, end] = [events[i]!, events[i + 1]!];
      expect(start.run.runId).toMatch(UUID);
      expect(end.run.runId).toBe(start.run.runId);
      expect(start.run.facets.dqctl.runId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{4}$/);
      expect(start.run.runId).toBe(runUuid({ runId: start.run.facets.dqctl.runId, command: start.job.name, startedAt: start.eventTime }));
      expect(Date.parse(end.eventTime)).toBeGreaterThanOrEqual(Date.parse(start.eventTime));
    }
    expect(new Set(events.map((e) => e.run.runId)).size).toBe(3);
    for (const e of events) {
      expect(e.schemaURL).toBe(RUN_EVENT_SCHEMA_URL);
      expect(e.producer).toMatch(/^https:\/\/github\.com\/dqctl\/dqctl\/tree\//);
      expect(e.job.namespace).toBe("dqctl");
    }
  });

  test("audit inputs carry row counts and one assertion per check: failed where a finding fired", () => {
    const audit = events.find((e) => e.job.name === "audit" && e.eventType === "COMPLETE")!;
    const eth = audit.inputs.find((d: Ev) => d.name.endsWith("/BINANCE_ETHUSDT_1d.parquet"));
    expect(eth.namespace).toBe("file");
    expect(eth.facets.version.datasetVersion).toMatch(/^[0-9a-f]{64}$/);
    expect(eth.inputFacets.dataQualityMetrics).toMatchObject({ rowCount: 727, columnMetrics: {} });
    const assertions = eth.inputFacets.dataQualityAssertions.assertions as Ev[];
    expect(assertions.find((a) => a.assertion === "gap")).toMatchObject({ success: false, severity: "warn", params: { missingBars: 3 } });
    expect(assertions.find((a) => a.assertion === "toxic_return")).toEqual({ assertion: "toxic_return", success: true });
    const btc = audit.inputs.find((d: Ev) => d.name.endsWith("/BINANCE_BTCUSDT_1d.parquet"));
    expect(btc.inputFacets.dataQualityAssertions.assertions.every((a: Ev) => a.success)).toBe(true);
  });

  test("the snapshot output carries the snapshot id as its dataset version", () => {
    const snap = events.find((e) => e.job.name === "snapshot" && e.eventType === "COMPLETE")!;
    const manifest = JSON.parse(readFileSync(join(dir, "runs/r1/manifest.json"), "utf8"));
    const folder = snap.outputs.find((d: Ev) => d.name === join(dir, "runs/r1"));
    expect(folder).toMatchObject({ namespace: "file", facets: { version: { datasetVersion: manifest.snapshotId, _schemaURL: FACET_SCHEMA_URLS.version } } });
    expect(snap.outputs.find((d: Ev) => d.name.endsWith("/returns_matrix.parquet"))).toBeDefined();
    expect(snap.inputs).toHaveLength(2);
  });

  describe("against the official JSON Schemas", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    // Each file carries its own $id; the facets $ref OpenLineage.json by that id, so registering them all resolves every link.
    for (const f of readdirSync(SCHEMAS).filter((f) => f.endsWith(".json"))) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, f), "utf8")));

    test("every event validates as a RunEvent, and every standard facet against its own schema", () => {
      const whole = ajv.getSchema("https://openlineage.io/spec/2-0-2/OpenLineage.json")!;
      const runEvent = ajv.getSchema(RUN_EVENT_SCHEMA_URL)!;
      let facets = 0;
      for (const e of events) {
        if (!whole(e)) throw new Error(`event fails OpenLineage.json: ${ajv.errorsText(whole.errors)}`);
        if (!runEvent(e)) throw new Error(`event fails RunEvent: ${ajv.errorsText(runEvent.errors)}`);
        for (const d of [...e.inputs, ...e.outputs] as Ev[]) {
          for (const facet of [...Object.values(d.facets ?? {}), ...Object.values(d.inputFacets ?? {})] as Ev[]) {
            const validate = ajv.getSchema(facet._schemaURL);
            if (!validate) throw new Error(`no schema registered for ${facet._schemaURL}`);
            if (!validate(facet)) throw new Error(`facet fails ${facet._schemaURL}: ${ajv.errorsText(validate.errors)}`);
            facets++;
          }
        }
      }
      expect(facets).toBeGreaterThan(30);
    });

    test("the facet documents validate too (keyed by facet name)", () => {
      const byName: Record<string, string> = {
        dataQualityMetrics: "https://openlineage.io/spec/facets/1-0-3/DataQualityMetricsInputDatasetFacet.json",
        dataQualityAssertions: "https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json",
        version: "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json",
      };
      for (const e of events) {
        for (const d of [...e.inputs, ...e.outputs] as Ev[]) {
          for (const group of [d.facets, d.inputFacets]) {
            for (const [name, facet] of Object.entries(group ?? {})) {
              const validate = ajv.getSchema(byName[name]!)!;
              expect(validate({ [name]: facet })).toBe(true);
            }
          }
        }
      }
    });
  });
});

describe("lineage --emit", () => {
  test("POSTs every event as JSON to a Marquez-compatible endpoint", async () => {
    const received: { path: string; type: string | null; body: Ev }[] = [];
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      async fetch(req) {
        received.push({ path: new URL(req.url).pathname, type: req.headers.get("content-type"), body: await req.json() });
        return new Response(null, { status: 201 });
      },
    });
    try {
      const url = `http://127.0.0.1:${server.port}/api/v1/lineage`;
      const r = await dq(["lineage", "--lakehouse", lh, "--now", DEMO_NOW, "--format", "openlineage", "--emit", url, "--json"], dir);
      expect(r.code).toBe(0);
      expect(r.json().counts).toMatchObject({ events: 6, emitted: 6 });
      expect(received).toHaveLength(6);
      expect(received.every((x) => x.path === "/api/v1/lineage" && x.type === "application/json")).toBe(true);
      expect(received.map((x) => x.body.eventType)).toEqual(events.map((e) => e.eventType));
      expect(received.map((x) => x.body.run.runId)).toEqual(events.map((e) => e.run.runId));
    } finally {
      server.stop(true);
    }
  });

  test("an endpoint answering 500 is exit 3 naming the URL and the status", async () => {
    const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("boom", { status: 500 }) });
    try {
      const url = `http://127.0.0.1:${server.port}/api/v1/lineage`;
      const r = await dq(["lineage", "--lakehouse", lh, "--now", DEMO_NOW, "--emit", url], dir);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(url);
      expect(r.stderr).toContain("500");
      expect(r.stdout).toBe("");
    } finally {
      server.stop(true);
    }
  });

  test("a closed port is exit 3; a non-http URL is refused before anything is sent", async () => {
    const closed = await dq(["lineage", "--lakehouse", lh, "--now", DEMO_NOW, "--emit", "http://127.0.0.1:9/api/v1/lineage"], dir);
    expect(closed.code).toBe(3);
    expect(closed.stderr).toContain("http://127.0.0.1:9/api/v1/lineage");
    const bad = await dq(["lineage", "--lakehouse", lh, "--emit", "ftp://x/y"], dir);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain("--emit");
  });
});
