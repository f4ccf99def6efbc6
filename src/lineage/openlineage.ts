// OpenLineage RunEvents (spec 2-0-2) for the recorded runs: one START and one COMPLETE/FAIL per run, inputs with
// data-quality facets from the audit findings, dataset versions (file sha256, snapshot id), and a POST to a
// Marquez-compatible endpoint.
import { createHash } from "node:crypto";
import { isAbsolute, join, resolve } from "node:path";
import { ConfigError, VendorError } from "../errors.ts";
import type { RunRecord } from "../lakehouse/runs.ts";
import { redactClip } from "../redact.ts";
import { runAsOf } from "./measure.ts";

export const RUN_EVENT_SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
export const JOB_NAMESPACE = "dqctl";

/** `_schemaURL` of each standard facet dqctl emits (the versions whose JSON Schemas it is tested against). */
export const FACET_SCHEMA_URLS = {
  dataQualityMetrics: "https://openlineage.io/spec/facets/1-0-3/DataQualityMetricsInputDatasetFacet.json#/$defs/DataQualityMetricsInputDatasetFacet",
  dataQualityAssertions: "https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet",
  version: "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet",
} as const;

/** The producer URI of a dqctl version. */
export function producerUri(version: string): string {
  return `https://github.com/dqctl/dqctl/tree/${version}`;
}

type Facet = { _producer: string; _schemaURL: string; [k: string]: unknown };
interface Dataset {
  namespace: string;
  name: string;
  facets?: Record<string, Facet>;
  inputFacets?: Record<string, Facet>;
}

/** One OpenLineage RunEvent. */
export interface RunEvent {
  eventType: "START" | "COMPLETE" | "FAIL";
  eventTime: string;
  producer: string;
  schemaURL: string;
  run: { runId: string; facets: Record<string, Facet> };
  job: { namespace: string; name: string };
  inputs: Dataset[];
  outputs: Dataset[];
}

/** How the events are built. */
export interface EventOptions {
  /** The lakehouse the runs.jsonl belongs to: relative dataset names resolve against it. */
  lakehouse: string;
  /** Check codes that ran (enabled checks): each becomes an assertion, passed unless a finding fired. */
  checkCodes: readonly string[];
  /** The version of dqctl producing the events. */
  version: string;
}

/**
 * A stable UUID for a dqctl run: name-based on SHA-256 as RFC 9562 lays out for UUIDv8 (v5 is SHA-1 only).
 * The start time joins the run id because run ids carry only 16 random bits.
 */
export function runUuid(rec: Pick<RunRecord, "runId" | "command" | "startedAt">): string {
  const b = createHash("sha256").update(`dqctl/${rec.runId}/${rec.command}/${rec.startedAt}`).digest();
  b[6] = (b[6]! & 0x0f) | 0x80; // version 8
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const h = b.subarray(0, 16).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** OpenLineage naming: local files are namespace `file` + absolute path; URLs are `scheme://host` + path. */
export function datasetName(ref: { name: string; kind: string }, lakehouse: string): { namespace: string; name: string } {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref.name)) {
    try {
      const u = new URL(ref.name);
      if (u.protocol === "file:") return { namespace: "file", name: decodeURIComponent(u.pathname) };
      return { namespace: `${u.protocol}//${u.host}`, name: u.pathname || "/" };
    } catch {
      /* not a URL after all: a file name */
    }
  }
  // A vendor source path was recorded as given on the command line; anything else lives in the lakehouse.
  if (ref.kind === "vendor" || isAbsolute(ref.name)) return { namespace: "file", name: ref.name };
  return { namespace: "file", name: join(resolve(lakehouse), ref.name) };
}

const OL_SEVERITY: Record<string, string> = { warning: "warn", error: "error" };

function qualityFacets(rec: RunRecord, symbol: string, interval: string, o: EventOptions, producer: string): Record<string, Facet> {
  const facets: Record<string, Facet> = {};
  const s = rec.symbols.find((x) => x.symbol === symbol && x.interval === interval);
  if (typeof s?.rows === "number") {
    // runs.jsonl keeps no per-column statistics, so columnMetrics (required by the facet) stays empty.
    facets.dataQualityMetrics = { _producer: producer, _schemaURL: FACET_SCHEMA_URLS.dataQualityMetrics, rowCount: s.rows, fileCount: 1, columnMetrics: {} };
  }
  const fired = new Map<string, Record<string, unknown>>();
  for (const f of rec.findings) if (f.symbol === symbol && f.interval === interval && typeof f.code === "string" && !fired.has(f.code)) fired.set(f.code, f);
  const codes = [...o.checkCodes, ...[...fired.keys()].filter((c) => !o.checkCodes.includes(c)).sort()];
  if (s || fired.size) {
    const assertions = codes.map((code) => {
      const f = fired.get(code);
      if (!f) return { assertion: code, success: true };
      const a: Record<string, unknown> = { assertion: code, success: false };
      if (typeof f.severity === "string") a.severity = OL_SEVERITY[f.severity] ?? f.severity;
      if (f.metrics && typeof f.metrics === "object") a.params = f.metrics;
      return a;
    });
    facets.dataQualityAssertions = { _producer: producer, _schemaURL: FACET_SCHEMA_URLS.dataQualityAssertions, assertions };
  }
  return facets;
}

function dataset(ref: RunRecord["inputs"][number], rec: RunRecord, o: EventOptions, producer: string, withQuality: boolean): Dataset {
  const d: Dataset = datasetName(ref, o.lakehouse);
  const version = typeof ref.snapshotId === "string" ? ref.snapshotId : typeof ref.sha256 === "string" ? ref.sha256 : undefined;
  if (version) d.facets = { version: { _producer: producer, _schemaURL: FACET_SCHEMA_URLS.version, datasetVersion: version } };
  if (withQuality && typeof ref.symbol === "string" && typeof ref.interval === "string") {
    const q = qualityFacets(rec, ref.symbol, ref.interval, o, producer);
    if (Object.keys(q).length) d.inputFacets = q;
  }
  return d;
}

/** START and COMPLETE (exit 0) or FAIL (any other exit) events of one recorded run. */
export function runEvents(rec: RunRecord, o: EventOptions): RunEvent[] {
  const producer = producerUri(o.version);
  const runId = runUuid(rec);
  const dqctl: Facet = {
    _producer: producer,
    _schemaURL: `${producer}/docs/openlineage/DqctlRunFacet.json#/$defs/DqctlRunFacet`,
    runId: rec.runId,
    command: rec.command,
    version: rec.version,
    asOf: runAsOf(rec),
    status: rec.status,
    exitCode: rec.exitCode,
    counts: rec.counts,
  };
  const base = { producer, schemaURL: RUN_EVENT_SCHEMA_URL, run: { runId, facets: { dqctl } }, job: { namespace: JOB_NAMESPACE, name: rec.command } };
  return [
    { eventType: "START", eventTime: rec.startedAt, ...base, inputs: rec.inputs.map((r) => dataset(r, rec, o, producer, false)), outputs: [] },
    {
      eventType: rec.exitCode === 0 ? "COMPLETE" : "FAIL",
      eventTime: rec.finishedAt,
      ...base,
      inputs: rec.inputs.map((r) => dataset(r, rec, o, producer, true)),
      outputs: rec.outputs.map((r) => dataset(r, rec, o, producer, false)),
    },
  ];
}

/** Events of every recorded run, in runs.jsonl order. */
export function lineageEvents(runs: readonly RunRecord[], o: EventOptions): RunEvent[] {
  return runs.flatMap((r) => runEvents(r, o));
}

/** One event per line. */
export function toNdjson(events: readonly RunEvent[]): string {
  return events.map((e) => `${JSON.stringify(e)}\n`).join("");
}

/** Refuse an --emit target that is not an http(s) URL before anything is sent. */
export function parseEmitUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`--emit: "${raw}" is not a URL`, "write e.g. --emit http://127.0.0.1:5000/api/v1/lineage");
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new ConfigError(`--emit: "${raw}" is not an http(s) URL`, "write e.g. --emit http://127.0.0.1:5000/api/v1/lineage");
  return u;
}

/** POST each event as JSON, in order; the first failure is a VendorError (exit 3) naming the URL and status. */
export async function emitEvents(events: readonly RunEvent[], url: string, opts: { timeoutMs?: number } = {}): Promise<number> {
  parseEmitUrl(url);
  const advice = "check the lineage endpoint (Marquez: http://HOST:5000/api/v1/lineage) is up, then retry";
  let sent = 0;
  for (const e of events) {
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(e),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      const why = (err as Error).name === "TimeoutError" ? `no answer within ${opts.timeoutMs ?? 10_000} ms` : (err as Error).message;
      throw new VendorError(
        `openlineage: POST ${url} failed after ${sent} of ${events.length} events: ${why}`,
        "openlineage",
        undefined,
        undefined,
        1,
        advice,
        { cause: err },
      );
    }
    const text = await res.text().catch(() => "");
    if (!res.ok) {
      const detail = redactClip(text.trim(), 200).replace(/\s+/g, " ");
      throw new VendorError(
        `openlineage: POST ${url} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ""} after ${sent} of ${events.length} events${detail ? `: ${detail}` : ""}`,
        "openlineage",
        undefined,
        res.status,
        1,
        advice,
      );
    }
    sent++;
  }
  return sent;
}
