import { isUnknown, resolveCalendar } from "../calendar/resolve.ts";
import type { InstrumentConfig } from "../config/schema.ts";
import { ConfigError } from "../errors.ts";
import type { Interval } from "./interval.ts";
import type { Profile } from "./profile.ts";

/** A parsed dqctl symbol id `EXCHANGE:TICKER`. */
export interface SymbolId {
  id: string;
  exchange: string;
  ticker: string;
}

const SAFE = /^[A-Za-z0-9._!:-]+$/;
/** Longest symbol id: its file name (plus temp and quarantine suffixes) must stay well under the 255-byte name limit. */
export const MAX_SYMBOL_LENGTH = 100;

/** Validate a symbol id before it touches a path: letters, digits and `._-!:`, no `..`, no `/`. */
export function parseSymbol(raw: string): SymbolId {
  const s = raw.trim();
  if (!s || !SAFE.test(s) || s.includes("..")) {
    throw new ConfigError(`invalid symbol "${raw}"`, "use EXCHANGE:TICKER with letters, digits and . _ - ! only (e.g. BINANCE:BTCUSDT)");
  }
  if (s.length > MAX_SYMBOL_LENGTH) {
    throw new ConfigError(
      `invalid symbol "${s.slice(0, 40)}…": ${s.length} characters, at most ${MAX_SYMBOL_LENGTH}`,
      "check the symbol list or scanner output for a garbled id",
    );
  }
  const idx = s.indexOf(":");
  if (idx <= 0 || idx === s.length - 1 || s.indexOf(":", idx + 1) !== -1) {
    throw new ConfigError(`invalid symbol "${raw}": expected EXCHANGE:TICKER`, "write it as e.g. NASDAQ:AAPL or BINANCE:BTCUSDT");
  }
  const exchange = s.slice(0, idx).toUpperCase();
  const ticker = s.slice(idx + 1).toUpperCase();
  return { id: `${exchange}:${ticker}`, exchange, ticker };
}

/** Parse a comma-separated list of symbols, dropping repeats. */
export function parseSymbolList(raw: string): SymbolId[] {
  const seen = new Set<string>();
  const out: SymbolId[] = [];
  for (const part of raw.split(",")) {
    if (!part.trim()) continue;
    const sym = parseSymbol(part);
    if (!seen.has(sym.id)) {
      seen.add(sym.id);
      out.push(sym);
    }
  }
  return out;
}

/**
 * File stem used by the lakehouse and the file vendor: `EXCHANGE_TICKER_interval`, with `_` inside the ticker
 * written as `~` (a character no symbol id contains). The mapping is then one-to-one: `CME_MINI:ES1!` →
 * `CME_MINI_ES1!_1d`, `CME:MINI_ES1!` → `CME_MINI~ES1!_1d`, and `parseFileStem` inverts it.
 */
export function fileStem(sym: SymbolId, interval: Interval): string {
  return `${sym.exchange}_${sym.ticker.replaceAll("_", "~")}_${interval}`;
}

/** The stem earlier versions used (`_` in the ticker kept as is); ambiguous, so only ever a fallback for reading. */
export function legacyFileStem(sym: SymbolId, interval: Interval): string {
  return `${sym.exchange}_${sym.ticker}_${interval}`;
}

/** Invert `fileStem`: the symbol id and interval of a lakehouse file stem, or undefined when it is not one. */
export function parseFileStem(stem: string): { id: string; interval: string } | undefined {
  const last = stem.lastIndexOf("_");
  const mid = last > 0 ? stem.lastIndexOf("_", last - 1) : -1;
  if (mid <= 0) return undefined;
  const id = `${stem.slice(0, mid)}:${stem.slice(mid + 1, last).replaceAll("~", "_")}`;
  return { id, interval: stem.slice(last + 1) };
}

/** The profile of a symbol: an override wins, else its calendar's family; an unknown exchange is a ConfigError. */
export function resolveProfile(sym: SymbolId, overrides?: Record<string, InstrumentConfig | undefined>): Profile {
  const r = resolveCalendar(sym, overrides);
  if (isUnknown(r)) throw new ConfigError(r.message, r.advice);
  return r.profile;
}
