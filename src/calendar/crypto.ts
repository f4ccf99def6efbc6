import { type Interval, intervalMs } from "../model/interval.ts";
import { DAY_MS } from "./dates.ts";
import type { DayNote, MarketCalendar, Session } from "./sessions.ts";

/**
 * Crypto: 24/7 UTC. Every UTC-epoch multiple of the interval is an expected bar open (1d bars at 00:00 UTC);
 * a "session" is one UTC day. Pure arithmetic, so a year of 1m bars costs nothing to enumerate.
 */
export class CryptoCalendar implements MarketCalendar {
  readonly profile = "crypto" as const;
  readonly name = "CRYPTO";
  readonly timezone = "UTC";

  expected(interval: Interval, fromMs: number, toMs: number): Float64Array {
    const step = intervalMs(interval);
    const first = Math.ceil(fromMs / step) * step;
    const n = this.count(interval, fromMs, toMs);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = first + i * step;
    return out;
  }

  count(interval: Interval, fromMs: number, toMs: number): number {
    const step = intervalMs(interval);
    if (!(fromMs <= toMs)) return 0;
    const first = Math.ceil(fromMs / step) * step;
    return first > toMs ? 0 : Math.floor((toMs - first) / step) + 1;
  }

  isExpected(interval: Interval, ts: number): boolean {
    return Number.isFinite(ts) && ts % intervalMs(interval) === 0;
  }

  lastCompleted(interval: Interval, nowMs: number): number | undefined {
    const step = intervalMs(interval);
    return Math.floor(nowMs / step) * step - step;
  }

  sessionsBetween(fromMs: number, toMs: number): Session[] {
    const out: Session[] = [];
    for (let d = Math.ceil(fromMs / DAY_MS) * DAY_MS; d <= toMs; d += DAY_MS) out.push({ label: d, openMs: d, closeMs: d + DAY_MS });
    return out;
  }

  notesBetween(_fromMs: number, _toMs: number): DayNote[] {
    return [];
  }

  lastClosedSession(nowMs: number): Session | undefined {
    const d = Math.floor(nowMs / DAY_MS) * DAY_MS - DAY_MS;
    return { label: d, openMs: d, closeMs: d + DAY_MS };
  }
}
