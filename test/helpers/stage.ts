// Writing a series into any Store the way commitSeries does (its bars, then its catalog entry), for tests that
// need stored series without running a command.
import { seriesRange } from "../../src/lakehouse/catalog.ts";
import { type Bars, barCount } from "../../src/model/bars.ts";
import type { Interval } from "../../src/model/interval.ts";
import type { SymbolId } from "../../src/model/symbol.ts";
import type { SeriesStager, WriterRequest } from "../../src/store/types.ts";

/** A writer request as a test's: every symbol's profile crypto, no waiting for a held lock unless `waitMs`. */
export function writerRequest(waitMs = 0, command = "test"): WriterRequest {
  return { command, waitMs, recovery: { profileOf: () => "crypto", now: new Date(), log() {} } };
}

/** Where and how the series is catalogued: 1d, crypto, path x.parquet unless said. */
export interface EntryOptions {
  interval?: Interval;
  profile?: string;
  path?: string;
}

/** Stage `bars` with their catalog entry on a (claimed) writer or stager; returns their sha256. The caller commits. */
export function stageWithEntry(w: SeriesStager, sym: SymbolId, bars: Bars, o: EntryOptions = {}): string {
  const interval = o.interval ?? "1d";
  const { sha256 } = w.stageSeries(sym, interval, bars);
  w.catalog.set({
    symbol: sym.id,
    interval,
    profile: o.profile ?? "crypto",
    path: o.path ?? "x.parquet",
    rows: barCount(bars),
    ...seriesRange(bars),
    genesis: null,
    sha256,
    source: "test",
    ingestedAt: new Date().toISOString(),
    qualityScore: null,
  });
  w.touchCatalog(sym.id, interval);
  return sha256;
}
