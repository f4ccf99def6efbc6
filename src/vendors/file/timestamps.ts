/**
 * Timestamp parsing for file inputs (documented in the README), exact and range-checked:
 * - numbers (or numeric strings) are epoch time; the unit follows the magnitude:
 *   |v| < 1e11 → seconds, < 1e14 → milliseconds, < 1e17 → microseconds, else nanoseconds
 *   (integer strings are converted with BigInt, so 19-digit nanoseconds lose nothing);
 * - `YYYY-MM-DD` is that date at 00:00 UTC; `YYYY-MM-DD[T ]HH:MM[:SS[.fffffffff]]` without an offset is UTC;
 *   with `Z` or `±HH[:]MM` the offset is applied;
 * - every field is checked (month 1–12, the month's days with Gregorian leap years, hour 0–23, minute and
 *   second 0–59, offset below 24:00), years are taken as written (0050 is year 50, never 1950), and the
 *   result must lie in the window 1900-01-01 … 2200-01-01 UTC.
 */
import { describeMs, MAX_TIMESTAMP_MS, MIN_TIMESTAMP_MS, TIME_WINDOW_TEXT } from "../../model/time-window.ts";

/** Why a value is not a usable timestamp, and what to do about it. */
export interface TimeIssue {
  reason: string;
  hint: string;
}

const FORMAT_HINT = "use ISO-8601 (YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM]) or epoch seconds/ms/µs/ns";
const EPOCH_HINT = "epoch units follow the magnitude (below 1e11 seconds, below 1e14 ms, below 1e17 µs, else ns): check the value or write ISO-8601";
const WINDOW_HINT = "dqctl accepts bars from 1900-01-01 up to (not including) 2200-01-01 UTC: fix the date";

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+\.\d+$/;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** Narrow a parse result: epoch milliseconds, or a TimeIssue saying why not. */
export function isTime(parsed: number | TimeIssue): parsed is number {
  return typeof parsed === "number";
}

/** Parse one cell into epoch milliseconds, or say exactly what is wrong with it. */
export function parseTimestamp(raw: string | number | bigint): number | TimeIssue {
  if (typeof raw === "bigint") return epochBig(raw, raw.toString());
  if (typeof raw === "number") {
    if (!Number.isFinite(raw)) return { reason: `${raw} is not a timestamp`, hint: FORMAT_HINT };
    return Number.isSafeInteger(raw) ? epochBig(BigInt(raw), String(raw)) : epochNumber(raw, String(raw));
  }
  const s = raw.trim();
  if (INTEGER.test(s)) return epochBig(BigInt(s), s);
  if (DECIMAL.test(s)) return epochNumber(Number(s), s);
  const m = ISO.exec(s);
  if (!m) return { reason: `${JSON.stringify(raw)} is not a timestamp`, hint: FORMAT_HINT };
  return fromIso(m, JSON.stringify(raw));
}

/** Check epoch milliseconds that arrived typed (a Parquet TIMESTAMP or DATE column) against the window. */
export function checkEpochMs(ms: number): number | TimeIssue {
  if (Number.isFinite(ms) && ms >= MIN_TIMESTAMP_MS && ms < MAX_TIMESTAMP_MS) return ms;
  return { reason: `timestamp ${describeMs(ms)} is outside ${TIME_WINDOW_TEXT}`, hint: WINDOW_HINT };
}

function fromIso(m: RegExpExecArray, shown: string): number | TimeIssue {
  const [, ys, mos, ds, hs = "0", mis = "0", ss = "0", frac = "", tz] = m;
  const y = Number(ys);
  const mo = Number(mos);
  const d = Number(ds);
  const bad = (what: string): TimeIssue => ({ reason: `${shown}: ${what}`, hint: FORMAT_HINT });
  if (mo < 1 || mo > 12) return bad(`month ${mos} is not 01–12`);
  const days = daysInMonth(y, mo);
  if (d < 1 || d > days) return bad(`day ${ds} does not exist in ${MONTHS[mo - 1]} ${ys} (${days} days)`);
  if (Number(hs) > 23) return bad(`hour ${hs} is not 00–23`);
  if (Number(mis) > 59) return bad(`minute ${mis} is not 00–59`);
  if (Number(ss) > 59) return bad(`second ${ss} is not 00–59`);
  let offsetMin = 0;
  if (tz && tz.toUpperCase() !== "Z") {
    const digits = tz.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 23 || om > 59) return bad(`offset ${tz} is not a UTC offset (±00:00 to ±23:59)`);
    offsetMin = (tz[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  // Nanoseconds as an integer, then rounded once: exact, unlike scaling a float fraction.
  const fracMs = frac ? Math.round(Number(frac.padEnd(9, "0")) / 1e6) : 0;
  const ms = daysFromCivil(y, mo, d) * 86_400_000 + ((Number(hs) * 60 + Number(mis) - offsetMin) * 60 + Number(ss)) * 1000 + fracMs;
  if (ms < MIN_TIMESTAMP_MS || ms >= MAX_TIMESTAMP_MS) return { reason: `${shown} is outside ${TIME_WINDOW_TEXT}`, hint: WINDOW_HINT };
  return ms;
}

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): no Date two-digit-year quirk. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const B_MIN = BigInt(MIN_TIMESTAMP_MS);
const B_MAX = BigInt(MAX_TIMESTAMP_MS);

/** An integer epoch value in the unit its magnitude implies, converted exactly. */
function epochBig(v: bigint, shown: string): number | TimeIssue {
  const a = v < 0n ? -v : v;
  let ms: bigint;
  let unit: string;
  if (a < 100_000_000_000n) [ms, unit] = [v * 1000n, "seconds"];
  else if (a < 100_000_000_000_000n) [ms, unit] = [v, "milliseconds"];
  else if (a < 100_000_000_000_000_000n) [ms, unit] = [roundDiv(v, 1000n), "microseconds"];
  else [ms, unit] = [roundDiv(v, 1_000_000n), "nanoseconds"];
  if (ms < B_MIN || ms >= B_MAX) return outside(shown, unit, Number(ms));
  return Number(ms);
}

/** A fractional epoch value (e.g. `1709251200.5` seconds). */
function epochNumber(v: number, shown: string): number | TimeIssue {
  const a = Math.abs(v);
  const [scale, unit] = a < 1e11 ? [1000, "seconds"] : a < 1e14 ? [1, "milliseconds"] : a < 1e17 ? [1e-3, "microseconds"] : [1e-6, "nanoseconds"];
  const ms = Math.round(v * scale);
  if (!(ms >= MIN_TIMESTAMP_MS && ms < MAX_TIMESTAMP_MS)) return outside(shown, unit, ms);
  return ms;
}

function outside(shown: string, unit: string, ms: number): TimeIssue {
  return { reason: `${shown} read as epoch ${unit} is ${describeMs(ms)}, outside ${TIME_WINDOW_TEXT}`, hint: EPOCH_HINT };
}

/** v / d rounded half up (d > 0), as Math.round does. */
function roundDiv(v: bigint, d: bigint): bigint {
  const n = 2n * v + d;
  const q = n / (2n * d);
  return n % (2n * d) !== 0n && n < 0n ? q - 1n : q;
}
