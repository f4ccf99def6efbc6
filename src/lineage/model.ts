// The lineage of every dataset dqctl produces (seed 004 "Data Lineage & SLA"): one node per layer, each with its
// targets. Defaults live here; `lineage.nodes.<id>.*` in the config overrides the targets, retention and owners.
import * as v from "valibot";
import type { Config } from "../config/schema.ts";
import { ConfigError } from "../errors.ts";
import { validate } from "../lakehouse/catalog.ts";
import type { Severity } from "../model/finding.ts";
import { VENDOR_NAMES } from "../vendors/registry.ts";

/** Node ids, upstream first. */
export const NODE_IDS = [
  "vendor_snapshots",
  "normalised_bars",
  "golden_lakehouse",
  "quality_diagnostics",
  "run_snapshots",
  "returns_matrix",
  "feature_store",
] as const;
export type NodeId = (typeof NODE_IDS)[number];

/** One dataset layer: where it lives, what feeds it, what it must meet and who answers for it. */
export interface LineageNode {
  id: NodeId;
  title: string;
  layer: "source" | "staging" | "golden" | "diagnostics" | "consumption";
  location: string;
  description: string;
  upstream: string[];
  downstream: string[];
  /** Hours the newest data may age before the node is late. */
  freshnessSlaHours: number;
  /** What "fresh" is measured as, in words (shown beside the figure). */
  freshnessMeasure: string;
  /** Ratio in [0, 1] the node's completeness must reach. */
  completenessTarget: number;
  completenessMeasure: string;
  retention: string;
  owners: string[];
  /** Checks and mechanisms guarding the node (fixed: they describe the code, not a policy). */
  controls: string[];
}

/** External sources feeding `vendor_snapshots` (drawn as one box in the graph): the registry's bar vendors. */
export const EXTERNAL_SOURCES: readonly string[] = VENDOR_NAMES;

const DEFAULTS: readonly LineageNode[] = [
  {
    id: "vendor_snapshots",
    title: "Vendor snapshots",
    layer: "source",
    location: "vendor APIs and files (ingest, repair, bootstrap, flow)",
    description: "Raw OHLCV answers as fetched from each vendor, validated before use.",
    upstream: ["vendors"],
    downstream: ["normalised_bars"],
    freshnessSlaHours: 24,
    freshnessMeasure: "age of the last fetching run (ingest, repair, bootstrap or flow)",
    completenessTarget: 0.99,
    completenessMeasure: "requested series that returned bars (no vendor failure, no no_data) in that run",
    retention: "not persisted by ingest (fetched per run); the bootstrap cache keeps entries for --cache-retention-days (default 7)",
    owners: ["market-data-engineering"],
    controls: [
      "response schema validation (schema drift = exit 3)",
      "retries with backoff and jitter, Retry-After honoured",
      "per-vendor rate limits and batches",
      "no_data",
    ],
  },
  {
    id: "normalised_bars",
    title: "Normalised bars",
    layer: "staging",
    location: "in memory during ingest; toxic series in <lakehouse>/quarantine/",
    description: "Bars in UTC, sorted, de-duplicated and sanitised; toxic series diverted to quarantine.",
    upstream: ["vendor_snapshots"],
    downstream: ["golden_lakehouse"],
    freshnessSlaHours: 24,
    freshnessMeasure: "age of the last ingesting run",
    completenessTarget: 0.95,
    completenessMeasure: "fetched series committed rather than quarantined in that run",
    retention: "transient; quarantined series kept as evidence until deleted by an operator (never read as golden)",
    owners: ["market-data-engineering"],
    controls: ["unsorted", "duplicate_rows", "bad_value", "toxic_return", "volume_spike", "price_stall", "quarantine of toxic series"],
  },
  {
    id: "golden_lakehouse",
    title: "Golden lakehouse",
    layer: "golden",
    location: "<lakehouse>/*.parquet + catalog.json",
    description: "One Parquet file per symbol and interval, catalogued with sha256, range and source.",
    upstream: ["normalised_bars"],
    downstream: ["quality_diagnostics", "run_snapshots"],
    freshnessSlaHours: 24,
    freshnessMeasure: "worst calendar-aware lag of a series' last bar behind the last bar its calendar expects",
    completenessTarget: 0.95,
    completenessMeasure: "mean coverage (observed ÷ calendar-expected bars) across catalog series",
    retention: "full history from genesis; files replaced atomically, earlier versions survive only in run snapshots",
    owners: ["data-foundation"],
    controls: [
      "atomic writes and single-writer lock",
      "catalog sha256 per file",
      "stale",
      "gap",
      "coverage",
      "off_calendar",
      "ohlc_inconsistent",
      "false_tick",
      "flat_prices",
    ],
  },
  {
    id: "quality_diagnostics",
    title: "Quality diagnostics",
    layer: "diagnostics",
    location: "<lakehouse>/foundation_health.json + runs.jsonl",
    description: "Per-series verdicts of the last audit and the append-only record of every run.",
    upstream: ["golden_lakehouse"],
    downstream: ["run_snapshots"],
    freshnessSlaHours: 24,
    freshnessMeasure: "age of the last audit",
    completenessTarget: 1,
    completenessMeasure: "catalog series whose current file carries an audit verdict (audit hash = catalog sha256)",
    retention: "foundation_health.json holds the latest verdict per series; runs.jsonl keeps every run (append-only)",
    owners: ["data-quality"],
    controls: ["audit gate (--fail-on-quality)", "quality score (warn < 0.85, error < 0.6)", "toxic marks block ingest and snapshot"],
  },
  {
    id: "run_snapshots",
    title: "Run snapshots",
    layer: "consumption",
    location: "artifacts/runs/<run-id>/ (data/*.parquet + manifest.json)",
    description: "Immutable copies of exactly the files a research run reads, with a manifest of hashes.",
    upstream: ["golden_lakehouse", "quality_diagnostics"],
    downstream: ["returns_matrix"],
    freshnessSlaHours: 168,
    freshnessMeasure: "age of the last snapshot written",
    completenessTarget: 1,
    completenessMeasure: "requested assets copied in the last snapshot attempt",
    retention: "immutable and never overwritten (read-only files); kept until their owner deletes the run folder",
    owners: ["research-platform"],
    controls: ["snapshot_blocked (missing, stale or toxic assets abort before writing)", "manifest sha256 + snapshot verify", "no network access"],
  },
  {
    id: "returns_matrix",
    title: "Returns matrix",
    layer: "consumption",
    location: "artifacts/runs/<run-id>/returns_matrix.parquet",
    description: "Close-to-close returns, one column per symbol, rows the union of member sessions.",
    upstream: ["run_snapshots"],
    downstream: ["research and risk"],
    freshnessSlaHours: 168,
    freshnessMeasure: "age of the last snapshot written",
    completenessTarget: 0.99,
    completenessMeasure: "in-session cells holding an observed return rather than a neutral 0.0 fill",
    retention: "lives in its run folder; immutable with it",
    owners: ["research-platform"],
    controls: ["no weekend padding (cells outside a member's sessions stay null)", "in-session gaps neutral-filled and counted", "sha256 in the manifest"],
  },
  {
    id: "feature_store",
    title: "Feature store",
    layer: "golden",
    location: "<lakehouse>/features/tv_technicals_1d/date=YYYY-MM-DD/part.parquet (+ symbols.parquet, the symbol catalog)",
    description:
      "The TradingView screener's daily technicals per symbol and session date (features ingest); the screener's symbol metadata as point-in-time history beside it.",
    upstream: ["vendors"],
    downstream: ["research and risk"],
    freshnessSlaHours: 24,
    freshnessMeasure: "age of the last features ingest",
    completenessTarget: 0.95,
    completenessMeasure: "requested symbols that returned a feature row in the last features ingest",
    retention: "full history, one partition per session date; a re-ingest replaces that (symbol, date) row",
    owners: ["market-data-engineering"],
    controls: ["feature_out_of_range", "feature_missing", "stale (each symbol's feature dates against its calendar)", "journaled commit, as the bars"],
  },
];

const NodeOverride = v.strictObject({
  freshnessSlaHours: v.optional(v.pipe(v.number("expected a number of hours"), v.finite(), v.gtValue(0, "expected hours above 0"))),
  completenessTarget: v.optional(
    v.pipe(v.number("expected a ratio"), v.minValue(0, "expected a ratio in [0, 1]"), v.maxValue(1, "expected a ratio in [0, 1]")),
  ),
  retention: v.optional(v.pipe(v.string(), v.nonEmpty("expected a description"))),
  owners: v.optional(v.pipe(v.array(v.pipe(v.string(), v.nonEmpty("expected a team or person"))), v.minLength(1, "expected at least one owner"))),
});

/** `lineage` in the config: node ids and every field known (typos are refused with a suggestion by the config loader). */
export const LineageConfig = v.strictObject({
  nodes: v.optional(
    v.strictObject(
      Object.fromEntries(NODE_IDS.map((id) => [id, v.optional(NodeOverride)])) as Record<NodeId, v.OptionalSchema<typeof NodeOverride, undefined>>,
    ),
  ),
  severity: v.optional(v.picklist(["warning", "error"], "expected warning or error")),
});

/** The lineage settings of the config, validated (`lineage.nodes.<id>.*`, `lineage.severity`). */
export interface LineageSettings {
  nodes: LineageNode[];
  /** Severity of sla_freshness / sla_completeness findings (default warning). */
  severity: Severity;
}

/** The nodes with config overrides applied; a bad value is a ConfigError naming `lineage.<field>`. */
export function resolveLineage(config: Config): LineageSettings {
  // Validated under a `lineage` key so errors name the whole path: `config: field lineage.nodes.<id>.owners: …`.
  const { lineage: cfg } = validate(
    v.object({ lineage: LineageConfig }),
    { lineage: config.lineage ?? {} },
    "config",
    "fix lineage.nodes.<id>.{freshnessSlaHours, completenessTarget, retention, owners} or lineage.severity in the config",
    ConfigError,
  );
  const nodes = DEFAULTS.map((d) => {
    const o = cfg.nodes?.[d.id];
    return {
      ...d,
      upstream: [...d.upstream],
      downstream: [...d.downstream],
      owners: [...(o?.owners ?? d.owners)],
      controls: [...d.controls],
      ...(o?.freshnessSlaHours !== undefined ? { freshnessSlaHours: o.freshnessSlaHours } : {}),
      ...(o?.completenessTarget !== undefined ? { completenessTarget: o.completenessTarget } : {}),
      ...(o?.retention ? { retention: o.retention } : {}),
    };
  });
  return { nodes, severity: cfg.severity ?? "warning" };
}
