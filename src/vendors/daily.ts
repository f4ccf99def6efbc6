import { DateTime } from "luxon";
import { calendarFor } from "../calendar/index.ts";
import { calendarOfSymbol } from "../calendar/resolve.ts";
import { DailyLabeler } from "../calendar/session-date.ts";
import type { Config } from "../config/schema.ts";
import type { FetchRequest } from "./types.ts";

const DAY_MS = 86_400_000;

/** Options for labelling a daily bar. */
export interface DailyLabelOptions {
  /** IANA zone of the exchange (e.g. America/New_York). */
  zone?: string | undefined;
  /** Fallback fixed offset in seconds east of UTC when the zone is missing or unknown. */
  gmtOffsetSec?: number | undefined;
  /**
   * Local hour at or after which a bar belongs to the next session date: Globex and FX daily
   * bars open the evening before the date they are traded under (TradingView stamps them so).
   */
  eveningRollHour?: number | undefined;
}

/** Whether luxon knows `zone` (cached: the check is called per bar). */
const zoneOk = new Map<string, boolean>();
function validZone(zone: string): boolean {
  let ok = zoneOk.get(zone);
  if (ok === undefined) zoneOk.set(zone, (ok = DateTime.now().setZone(zone).isValid));
  return ok;
}

/** Session date of a bar stamped `tsMs`, as 00:00 UTC of that date in epoch ms (the lakehouse daily label). */
export function dailyLabel(tsMs: number, opts: DailyLabelOptions = {}): number {
  let y: number;
  let m: number;
  let d: number;
  let hour: number;
  if (opts.zone && validZone(opts.zone)) {
    const t = DateTime.fromMillis(tsMs, { zone: opts.zone });
    ({ year: y, month: m, day: d, hour } = t);
  } else {
    const t = new Date(tsMs + (opts.gmtOffsetSec ?? 0) * 1000);
    y = t.getUTCFullYear();
    m = t.getUTCMonth() + 1;
    d = t.getUTCDate();
    hour = t.getUTCHours();
  }
  const label = Date.UTC(y, m - 1, d);
  return opts.eveningRollHour !== undefined && hour >= opts.eveningRollHour ? label + DAY_MS : label;
}

/** `YYYY-MM-DD` → 00:00 UTC epoch ms; NaN when malformed. */
export function dateLabel(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return Number.NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).getUTCDate() === Number(m[3]) ? ms : Number.NaN;
}

/** `YYYY-MM-DD` of an epoch ms in UTC. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The session-date labeler for a daily request (src/calendar/session-date.ts): the symbol's calendar from the config
 * and exchange; `vendorZone` is the zone the vendor says it stamps in (Yahoo's exchangeTimezoneName, TradingView's).
 */
export function dailyLabeler(req: FetchRequest, config: Config, vendorZone?: string): DailyLabeler {
  return new DailyLabeler(calendarFor(calendarOfSymbol(req.symbol, config.instruments, req.profile)), vendorZone);
}
