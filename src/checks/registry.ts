// The one registry of finding codes: every code dqctl can report, what it means, its default severity and the
// options it takes under `checks.<code>`. `dqctl explain` prints it; the config validator derives the known
// `checks.*` keys from it; the series checks read their defaults from the same records.
import { VENDOR_FAILED_META } from "../bootstrap/codes.ts";
import { FEED_STALE_META, FEED_STALLED_META, METRIC_ANOMALY_META } from "../metrics/anomaly.ts";
import { badValue } from "./bad_value.ts";
import { coverage } from "./coverage.ts";
import { crossSourceDrift } from "./cross_source_drift.ts";
import { duplicateRows } from "./duplicate_rows.ts";
import { EMPTY_ROWS_META } from "./empty_rows.ts";
import { falseTick } from "./false_tick.ts";
import { FEATURE_MISSING_META, FEATURE_OUT_OF_RANGE_META } from "./features.ts";
import { flatPrices } from "./flat_prices.ts";
import { gap } from "./gap.ts";
import { noData } from "./no_data.ts";
import { offCalendar } from "./off_calendar.ts";
import { offTick } from "./off_tick.ts";
import { ohlcInconsistent } from "./ohlc_inconsistent.ts";
import { priceStall } from "./price_stall.ts";
import { BARS_QUARANTINED_META, HELD_BACK_META } from "./sanitize.ts";
import { splitSuspected } from "./split_suspected.ts";
import { splitUnadjusted } from "./split_unadjusted.ts";
import { stale } from "./stale.ts";
import { QUALITY_SCORE_META } from "./status.ts";
import { toxicReturn } from "./toxic_return.ts";
import type { Check, CheckMeta } from "./types.ts";
import { unsorted } from "./unsorted.ts";
import { volumeSpike } from "./volume_spike.ts";

/** Every series check, in report order. */
export const ALL_CHECKS: readonly Check[] = [
  noData,
  stale,
  gap,
  coverage,
  offCalendar,
  duplicateRows,
  unsorted,
  badValue,
  ohlcInconsistent,
  flatPrices,
  offTick,
  splitUnadjusted,
  splitSuspected,
  toxicReturn,
  volumeSpike,
  priceStall,
  falseTick,
  crossSourceDrift,
];

/** A finding code with its meaning; `configurable` false: no `checks.<code>` settings (the reason says why). */
export interface CodeInfo extends CheckMeta {
  readonly code: string;
  /** Which commands report it. */
  readonly reportedBy: string;
  readonly configurable: boolean;
  readonly notConfigurable?: string;
}

const SERIES = "ingest, audit, flow, bootstrap (and repair when it re-checks a series)";
// Checks that only see something in bootstrap (the one command that stitches several vendors into one series).
const BOOTSTRAP_ONLY = new Set(["cross_source_drift"]);

const fixed = (code: string, reportedBy: string, meta: Omit<CheckMeta, "options">, why: string): CodeInfo => ({
  code,
  reportedBy,
  ...meta,
  options: {},
  configurable: false,
  notConfigurable: why,
});

/** Every finding code, series checks first. */
export const CODES: readonly CodeInfo[] = [
  ...ALL_CHECKS.map((c) => ({ code: c.code, reportedBy: BOOTSTRAP_ONLY.has(c.code) ? "bootstrap" : SERIES, ...c.meta, configurable: true })),
  {
    code: "missing",
    reportedBy: "audit, flow, snapshot",
    rule: "a requested series has no lakehouse file",
    severity: "error",
    options: {},
    example: "no lakehouse file BINANCE_BTCUSDT_1d.parquet (not in the catalog)",
    configurable: true,
  },
  fixed(
    "unreadable",
    "audit, flow, snapshot",
    {
      rule: "a lakehouse file cannot be decoded (truncated, not Parquet, wrong columns); the other series are still audited",
      severity: "error",
      example: "data/lakehouse/NASDAQ_AAPL_1d.parquet: not a Parquet file (no PAR1 magic, file is 12 bytes)",
    },
    "an unreadable file is always an error",
  ),
  fixed(
    "corrupt",
    "ingest, repair, audit, flow, snapshot",
    {
      rule: "a lakehouse file's sha256 is not the one its catalog entry recorded: it changed outside dqctl (bit rot, an edit, a copy); it is never read as golden and never merged into — restore it, or delete it and ingest again",
      severity: "error",
      example: "data/lakehouse/NASDAQ_AAPL_1d.parquet: content changed outside dqctl (sha256 3f3c83781462…, catalog recorded 36419c3d9738…)",
    },
    "a file that is not what was committed is always an error",
  ),
  fixed(
    "unknown_calendar",
    "ingest, repair, audit, flow",
    {
      rule: 'a series\' exchange maps to no calendar, so its sessions are unknown: that series is not processed (the others are); the message names the exchange and how to map it (instruments["<id>"].calendar, dqctl calendar --list)',
      severity: "error",
      example: 'FOO:BAR: unknown exchange "FOO", no calendar; not processed',
    },
    "without a calendar nothing can be judged; map the exchange instead",
  ),
  { code: "empty_rows", reportedBy: "ingest, flow", ...EMPTY_ROWS_META, configurable: true },
  { code: "feature_out_of_range", reportedBy: "features ingest", ...FEATURE_OUT_OF_RANGE_META, configurable: true },
  { code: "feature_missing", reportedBy: "features ingest", ...FEATURE_MISSING_META, configurable: true },
  { code: "bars_quarantined", reportedBy: "ingest, repair, flow", ...BARS_QUARANTINED_META, configurable: true },
  fixed("held_back", "ingest, repair, flow", HELD_BACK_META, "the bar is judged again, with the next one, by the same checks and their options"),
  fixed(
    "future_bar",
    "ingest, repair, flow",
    {
      rule: "a vendor sent bars that open after --now; they are not committed (the bar still in progress is held back silently and committed by a later run)",
      severity: "warning",
      example: "2 bar(s) open after now (2026-11-21T06:00:00.000Z), first 2026-11-22T00:00:00.000Z: not committed",
    },
    "bars from the future are never golden; the warning only reports them",
  ),
  {
    code: "quarantined",
    reportedBy: "ingest, audit, flow, snapshot",
    rule: "the asset is held in quarantine as toxic (foundation_health.json marks it, its evidence files are in quarantine/); every ingest re-judges it with the new data and clears the mark when the series is clean (--force re-fetches its whole history for that)",
    severity: "error",
    options: {},
    example: "held in quarantine as toxic (toxic_return): KRAKEN_ADAUSD_1d.20261121T060000000Z.parquet",
    configurable: true,
  },
  { code: "quality_score", reportedBy: "audit, flow", ...QUALITY_SCORE_META, configurable: true },
  { code: "metric_anomaly", reportedBy: "audit, flow (from the metric history)", ...METRIC_ANOMALY_META, configurable: true },
  { code: "feed_stalled", reportedBy: "audit, flow (from the metric history)", ...FEED_STALLED_META, configurable: true },
  { code: "feed_stale", reportedBy: "audit, flow", ...FEED_STALE_META, configurable: true },
  {
    code: "vendor_failed",
    reportedBy: "bootstrap",
    ...VENDOR_FAILED_META,
    configurable: false,
    notConfigurable: "it reports a vendor outage that the other vendors covered",
  },
  fixed(
    "snapshot_blocked",
    "snapshot",
    {
      rule: "an asset a snapshot needs is missing, unreadable, stale, toxic or empty (or foundation_health.json marks it toxic); nothing is written and the exit code is 2",
      severity: "error",
      example: "BINANCE:SOLUSDT 1d: toxic: 2 close-to-close moves beyond ×6 or ÷6",
    },
    "a run must not read unfit data",
  ),
  fixed(
    "snapshot_changed",
    "snapshot verify",
    {
      rule: "a file of a run folder no longer has the sha256 its manifest recorded",
      severity: "error",
      example: "data/BINANCE_BTCUSDT_1d.parquet: sha256 1f3a9b07c2d4… (2048 bytes) differs from the manifest's 9c2e51aa0b13… (2048 bytes)",
    },
    "verification has no thresholds",
  ),
  fixed(
    "snapshot_missing",
    "snapshot verify",
    {
      rule: "a file the manifest lists is gone from the run folder",
      severity: "error",
      example: "returns_matrix.parquet: listed in manifest.json but not in the run folder",
    },
    "verification has no thresholds",
  ),
  fixed(
    "snapshot_added",
    "snapshot verify",
    { rule: "the run folder holds a file the manifest does not list", severity: "error", example: "notes.txt: in the run folder but not in manifest.json" },
    "verification has no thresholds",
  ),
  fixed(
    "snapshot_id_mismatch",
    "snapshot verify",
    {
      rule: "the manifest's snapshot id does not match the hashes it lists (the manifest was edited)",
      severity: "error",
      example: "manifest.json: snapshotId 4be1c0de9f21… does not match its entries (7a0c33b1e8d2…): the manifest was edited",
    },
    "verification has no thresholds",
  ),
  fixed(
    "sla_freshness",
    "lineage",
    {
      rule: "a lineage node's newest data is older than its freshnessSlaHours",
      severity: "warning (lineage.severity in the config sets it)",
      example: "golden_lakehouse: freshness SLA of 24 h missed: 30.5 h (ingest <run-id>)",
    },
    "set lineage.nodes.<id>.freshnessSlaHours and lineage.severity instead",
  ),
  fixed(
    "sla_completeness",
    "lineage",
    {
      rule: "a lineage node's completeness is below its completenessTarget",
      severity: "warning (lineage.severity in the config sets it)",
      example: "vendor_snapshots: completeness target 0.99 missed: 0.9375 (ingest <run-id>: 16 requested, 1 failed or empty)",
    },
    "set lineage.nodes.<id>.completenessTarget and lineage.severity instead",
  ),
];

const BY_CODE = new Map(CODES.map((c) => [c.code, c]));

/** The record of `code`, or undefined. */
export function codeInfo(code: string): CodeInfo | undefined {
  return BY_CODE.get(code);
}

/** Codes that take settings under `checks.<code>`. */
export const CONFIGURABLE_CODES: readonly string[] = CODES.filter((c) => c.configurable).map((c) => c.code);
