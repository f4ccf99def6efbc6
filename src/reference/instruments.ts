// config/reference/instruments.json: per-instrument metadata (seed 004 "Reference Data Loader"), merged under the
// config's `instruments` so calendars (profile), symbol mapping (tickers) and checks (stablecoin) see one source.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { calendarNames, canonicalCalendar, profileOfCalendar } from "../calendar/registry.ts";
import type { Config, InstrumentConfig } from "../config/schema.ts";
import { ConfigError } from "../errors.ts";
import { PROFILES, type Profile } from "../model/profile.ts";
import { parseSymbol } from "../model/symbol.ts";
import { suggestion } from "../suggest.ts";
import { VENDOR_NAMES } from "../vendors/registry.ts";

export const INSTRUMENTS_FILE = "instruments.json";

/** Family names accepted as `calendar` beside the exchange calendars (they set the profile only). */
export const CALENDAR_PROFILES: Readonly<Record<string, Profile>> = {
  crypto: "crypto",
  "24/7": "crypto",
  equity: "equity",
  nyse: "equity",
  futures: "futures",
  cme: "futures",
  globex: "futures",
  forex: "forex",
  fx: "forex",
  "24/5": "forex",
};

const NonEmpty = v.pipe(v.string(), v.trim(), v.nonEmpty("expected a non-empty string"));

const Entry = v.strictObject({
  profile: v.optional(v.picklist(PROFILES, `expected one of ${PROFILES.join(", ")}`)),
  calendar: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (c) => c.toLowerCase() in CALENDAR_PROFILES || canonicalCalendar(c) !== undefined,
        () => `expected a calendar: ${[...Object.keys(CALENDAR_PROFILES), ...calendarNames()].join(", ")}`,
      ),
    ),
  ),
  assetClass: v.optional(NonEmpty),
  name: v.optional(v.string()),
  currency: v.optional(v.pipe(v.string(), v.regex(/^[A-Z]{3,5}$/, "expected a currency code such as USD"))),
  // Keys are checked against the vendor registry in parseInstruments (with a did-you-mean), values here.
  tickers: v.optional(v.record(v.string(), NonEmpty)),
  tickSize: v.optional(v.pipe(v.number("expected a number"), v.finite("expected a finite number"), v.gtValue(0, "expected a number above 0"))),
  stablecoin: v.optional(v.boolean("expected true or false")),
});

const File = v.record(v.string(), v.unknown());

/** One validated instrument of instruments.json (profile resolved from `profile` or `calendar`). */
export interface ReferenceInstrument extends InstrumentConfig {
  name?: string;
  currency?: string;
}

/** Instruments keyed by dqctl id (normalised: `binance:btcusdt` → `BINANCE:BTCUSDT`). */
export type InstrumentTable = Record<string, ReferenceInstrument>;

const ADVICE = 'fix the entry: { "FX:EURUSD": { "profile": "forex", "assetClass": "fx", "tickers": { "yahoo": "EURUSD=X" }, "tickSize": 0.00001 } }';

function fail(path: string, key: string, field: string, msg: string): never {
  throw new ConfigError(`${path}: key ${key}: field ${field}: ${msg}`, ADVICE);
}

/** A `tickers` key that names no vendor: the closest vendor name and the valid ones. */
function checkTickerVendors(path: string, key: string, tickers: Record<string, string>, vendors: readonly string[]): void {
  for (const vendor of Object.keys(tickers)) {
    if (!vendors.includes(vendor)) {
      throw new ConfigError(
        `${path}: key ${key}: field tickers.${vendor}: "${vendor}" is not a vendor${suggestion(vendor, vendors)}`,
        `key tickers by vendor: ${vendors.join(", ")}`,
      );
    }
  }
}

/** Validate the parsed document of `path` (exported for tests and `reference check`); `vendors` are the valid `tickers` keys. */
export function parseInstruments(raw: unknown, path: string, vendors: readonly string[] = VENDOR_NAMES): InstrumentTable {
  const doc = v.safeParse(File, raw);
  if (!doc.success || Array.isArray(raw)) throw new ConfigError(`${path}: field (root): expected an object keyed by symbol id (EXCHANGE:TICKER)`, ADVICE);
  const out: InstrumentTable = {};
  for (const [key, body] of Object.entries(doc.output)) {
    if (key === "$schema") continue;
    let id: string;
    try {
      id = parseSymbol(key).id;
    } catch (err) {
      throw new ConfigError(`${path}: key ${key}: not a symbol id (${(err as Error).message})`, "key each instrument by its dqctl id, e.g. NASDAQ:AAPL");
    }
    if (out[id]) fail(path, key, "(key)", `repeats ${id}`);
    const res = v.safeParse(Entry, body);
    if (!res.success) {
      const issue = res.issues[0]!;
      fail(path, key, v.getDotPath(issue) ?? "(entry)", issue.message);
    }
    const e = res.output;
    if (e.tickers) checkTickerVendors(path, key, e.tickers, vendors);
    // A family name (equity, cme, 24/7…) sets the profile; an exchange calendar (XTKS, TSE, CMES_RATES…) sets both.
    const named = e.calendar && !(e.calendar.toLowerCase() in CALENDAR_PROFILES) ? canonicalCalendar(e.calendar) : undefined;
    const fromCalendar = e.calendar ? (CALENDAR_PROFILES[e.calendar.toLowerCase()] ?? (named ? profileOfCalendar(named) : undefined)) : undefined;
    if (e.profile && fromCalendar && e.profile !== fromCalendar) {
      fail(path, key, "calendar", `"${e.calendar}" is a ${fromCalendar} calendar but profile is ${e.profile}`);
    }
    const profile = e.profile ?? fromCalendar;
    const inst: ReferenceInstrument = {};
    if (profile) inst.profile = profile;
    if (named) inst.calendar = named;
    if (e.assetClass) inst.assetClass = e.assetClass;
    if (e.tickers) inst.tickers = e.tickers;
    if (e.tickSize !== undefined) inst.tickSize = e.tickSize;
    if (e.stablecoin !== undefined) inst.stablecoin = e.stablecoin;
    if (e.name !== undefined) inst.name = e.name;
    if (e.currency !== undefined) inst.currency = e.currency;
    out[id] = inst;
  }
  return out;
}

/** Load `<dir>/instruments.json` (absent: no instruments); a bad file is a ConfigError naming file, key and field. */
export function loadInstruments(dir: string): { instruments: InstrumentTable; file?: string } {
  const path = join(dir, INSTRUMENTS_FILE);
  if (!existsSync(path)) return { instruments: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ConfigError(`${path}: malformed JSON (${(err as Error).message})`, ADVICE, { cause: err });
  }
  return { instruments: parseInstruments(raw, path), file: path };
}

/** Reference instruments under the config's: per instrument the config's fields win, tickers merge per vendor. */
export function mergeInstruments(config: Config, reference: InstrumentTable): Config {
  const ids = Object.keys(reference);
  if (!ids.length) return config;
  const merged: Record<string, InstrumentConfig> = {};
  for (const id of ids) {
    const { name: _n, currency: _c, ...ref } = reference[id]!;
    merged[id] = ref;
  }
  for (const [key, own] of Object.entries(config.instruments ?? {})) {
    // Config keys are used verbatim by lookups; normalise so `binance:btcusdt` meets its reference entry.
    let id = key;
    try {
      id = parseSymbol(key).id;
    } catch {
      /* an invalid key is reported where it is used */
    }
    const ref = merged[id];
    const tickers = ref?.tickers || own.tickers ? { ...ref?.tickers, ...own.tickers } : undefined;
    merged[id] = { ...ref, ...own, ...(tickers ? { tickers } : {}) };
  }
  return { ...config, instruments: merged };
}

/** The config with `<dir>/instruments.json` merged under `config.instruments` (config wins). */
export function applyReference(config: Config, dir: string): Config {
  return mergeInstruments(config, loadInstruments(dir).instruments);
}
