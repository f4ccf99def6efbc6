/**
 * Timestamp detection for file inputs (documented in the README):
 * - numbers (or numeric strings) are epoch time; the unit follows the magnitude:
 *   |v| < 1e11 → seconds, < 1e14 → milliseconds, < 1e17 → microseconds, else nanoseconds;
 * - `YYYY-MM-DD` is that date at 00:00 UTC; `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]` without an offset is UTC;
 *   with `Z` or `±HH:MM` the offset is applied.
 * Returns NaN when the value is not a timestamp.
 */
export function parseTimestamp(raw: string | number | bigint): number {
  if (typeof raw === "bigint") return epochToMs(Number(raw));
  if (typeof raw === "number") return Number.isFinite(raw) ? epochToMs(raw) : Number.NaN;
  const s = raw.trim();
  if (!s) return Number.NaN;
  if (/^-?\d+(\.\d+)?$/.test(s)) return epochToMs(Number(s));
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (!m) return Number.NaN;
  const [, y, mo, d, h = "0", mi = "0", sec = "0", frac = "", tz] = m;
  const ms = Number(`0.${frac || "0"}`) * 1000;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), Math.round(ms));
  const check = new Date(t);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return Number.NaN; // 2024-02-30
  if (tz && tz.toUpperCase() !== "Z") {
    const sign = tz[0] === "-" ? -1 : 1;
    const digits = tz.slice(1).replace(":", "");
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return t;
}

function epochToMs(v: number): number {
  const a = Math.abs(v);
  if (a < 1e11) return Math.round(v * 1000);
  if (a < 1e14) return Math.round(v);
  if (a < 1e17) return Math.round(v / 1000);
  return Math.round(v / 1e6);
}
