import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../../src/errors.ts";
import { parseSymbol } from "../../../src/model/symbol.ts";
import { loadReferenceData } from "../../../src/pipeline/reference.ts";
import { applyReference, checkReference, loadInstruments, mergeInstruments } from "../../../src/reference/index.ts";
import { fromVendorTicker, toVendorTicker } from "../../../src/vendors/tickers.ts";

function refDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "dqctl-instruments-"));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), typeof body === "string" ? body : JSON.stringify(body));
  return dir;
}

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error("expected a ConfigError");
}

const INSTRUMENTS = {
  $schema: "https://example.com/instruments.schema.json",
  "LSE:VOD": { calendar: "NYSE", assetClass: "equity", name: "Vodafone", currency: "GBP", tickers: { yahoo: "VOD.L" }, tickSize: 0.02 },
  "fx:eurusd": { profile: "forex", assetClass: "fx", tickers: { yahoo: "EURUSD=X", alphavantage: "EUR/USD" }, tickSize: 0.00001 },
  "BINANCE:USDCUSDT": { profile: "crypto", stablecoin: true },
};

describe("instruments.json", () => {
  test("loads, normalises ids and resolves calendar names to profiles", () => {
    const { instruments, file } = loadInstruments(refDir({ "instruments.json": INSTRUMENTS }));
    expect(file).toEndWith("instruments.json");
    expect(Object.keys(instruments).sort()).toEqual(["BINANCE:USDCUSDT", "FX:EURUSD", "LSE:VOD"]);
    expect(instruments["LSE:VOD"]).toEqual({
      profile: "equity",
      assetClass: "equity",
      name: "Vodafone",
      currency: "GBP",
      tickers: { yahoo: "VOD.L" },
      tickSize: 0.02,
    });
    expect(instruments["BINANCE:USDCUSDT"]).toEqual({ profile: "crypto", stablecoin: true });
  });

  test("an absent file means no instruments", () => {
    expect(loadInstruments(refDir({}))).toEqual({ instruments: {} });
  });

  test("merged under config.instruments: the config wins per field, tickers merge per vendor", () => {
    const { instruments } = loadInstruments(refDir({ "instruments.json": INSTRUMENTS }));
    const merged = mergeInstruments(
      { instruments: { "FX:EURUSD": { tickers: { yahoo: "EUR=X" }, tickSize: 0.0001 }, "NASDAQ:AAPL": { assetClass: "equity" } } },
      instruments,
    );
    expect(merged.instruments!["FX:EURUSD"]).toEqual({
      profile: "forex",
      assetClass: "fx",
      tickers: { yahoo: "EUR=X", alphavantage: "EUR/USD" },
      tickSize: 0.0001,
    });
    expect(merged.instruments!["NASDAQ:AAPL"]).toEqual({ assetClass: "equity" });
    expect(merged.instruments!["LSE:VOD"]!.profile).toBe("equity");
    expect(mergeInstruments({}, {})).toEqual({});
  });

  test("symbol mapping and profiles see the reference instruments", () => {
    const config = applyReference({}, refDir({ "instruments.json": INSTRUMENTS }));
    expect(toVendorTicker("yahoo", parseSymbol("LSE:VOD"), config)).toBe("VOD.L");
    expect(fromVendorTicker("yahoo", "VOD.L", config).id).toBe("LSE:VOD");
    expect(config.instruments!["BINANCE:USDCUSDT"]!.stablecoin).toBe(true);
  });

  test("loadReferenceData returns calendar overrides and the merged config, listing every file", () => {
    const dir = refDir({ "instruments.json": INSTRUMENTS, "holidays.json": { equity: { closed: ["2026-01-09"] } } });
    const { reference, config } = loadReferenceData({ referenceDir: dir, instruments: { "LSE:VOD": { tickSize: 0.5 } } });
    expect(reference!.files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(["holidays.json", "instruments.json"]);
    expect(config.instruments!["LSE:VOD"]).toMatchObject({ profile: "equity", tickSize: 0.5 });
    expect(config.referenceDir).toBe(dir);
  });

  test.each([
    ["a bad key", { "NOT A SYMBOL": {} }, "key NOT A SYMBOL"],
    ["an unknown profile", { "LSE:VOD": { profile: "bonds" } }, "key LSE:VOD: field profile"],
    ["an unknown calendar", { "LSE:VOD": { calendar: "MOON" } }, "key LSE:VOD: field calendar"],
    ["an exchange calendar of another family than the profile", { "LSE:VOD": { calendar: "XTKS", profile: "futures" } }, "key LSE:VOD: field calendar"],
    ["calendar and profile disagreeing", { "LSE:VOD": { calendar: "CME", profile: "equity" } }, "key LSE:VOD: field calendar"],
    ["a non-positive tick size", { "LSE:VOD": { tickSize: 0 } }, "key LSE:VOD: field tickSize"],
    ["a tick size as a string", { "LSE:VOD": { tickSize: "0.01" } }, "key LSE:VOD: field tickSize"],
    ["an empty ticker", { "LSE:VOD": { tickers: { yahoo: "" } } }, "key LSE:VOD: field tickers.yahoo"],
    ["an unknown field", { "LSE:VOD": { tick_size: 0.01 } }, "key LSE:VOD: field tick_size"],
    ["a repeated id", { "LSE:VOD": {}, "lse:vod": {} }, "key lse:vod"],
    ["a list instead of an object", [{ symbol: "LSE:VOD" }], "field (root)"],
  ])("%s is a ConfigError naming file, key and field", (_what, body, where) => {
    const dir = refDir({ "instruments.json": body });
    const msg = configError(() => loadInstruments(dir));
    expect(msg).toStartWith(join(dir, "instruments.json"));
    expect(msg).toContain(where);
  });

  test("an exchange calendar (or its prefix) sets the calendar and its profile; a family name only the profile", () => {
    const dir = refDir({ "instruments.json": { "FOO:A": { calendar: "tse" }, "FOO:B": { calendar: "XLON" }, "FOO:C": { calendar: "nyse" } } });
    const { instruments } = loadInstruments(dir);
    expect(instruments["FOO:A"]).toEqual({ profile: "equity", calendar: "XTKS" });
    expect(instruments["FOO:B"]).toEqual({ profile: "equity", calendar: "XLON" });
    expect(instruments["FOO:C"]).toEqual({ profile: "equity" });
  });

  test("malformed JSON names the file", () => {
    const dir = refDir({ "instruments.json": "{ nope" });
    expect(configError(() => loadInstruments(dir))).toContain(`${join(dir, "instruments.json")}: malformed JSON`);
  });

  test("checkReference validates all three files and counts their entries", () => {
    const dir = refDir({ "instruments.json": INSTRUMENTS, "sessions.json": { equity: { close: "16:30" } } });
    const r = checkReference(dir);
    expect(r.files.map((f) => [f.file, f.present, f.entries])).toEqual([
      ["instruments.json", true, 3],
      ["sessions.json", true, 1],
      ["holidays.json", false, 0],
    ]);
    expect(configError(() => checkReference(join(dir, "missing")))).toContain("reference folder not found");
  });
});
