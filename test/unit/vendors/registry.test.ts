// The vendor registry: one list of descriptors, and everything that names vendors derived from it. A throwaway
// descriptor, defined here, goes through the same derivations a new vendor file plus one registry line would.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { secretsInEnv } from "../../../src/config/secrets.ts";
import { CONFIGURABLE_VENDORS, strictConfigSchema, validateConfig } from "../../../src/config/validate.ts";
import { silentLogger } from "../../../src/context.ts";
import { ConfigError } from "../../../src/errors.ts";
import { EXTERNAL_SOURCES } from "../../../src/lineage/model.ts";
import { INTERVAL_NAMES } from "../../../src/model/interval.ts";
import { parseSymbol, resolveProfile } from "../../../src/model/symbol.ts";
import { parseInstruments } from "../../../src/reference/instruments.ts";
import type { BarsDescriptor, Descriptor, NetworkVendorDescriptor } from "../../../src/vendors/descriptor.ts";
import {
  apiKeyEnvs,
  barVendors,
  canonicalVendorName,
  configurableVendors,
  createVendor,
  settingsFor,
  VENDOR_NAMES,
  VENDORS,
  vendorChoices,
  vendorNames,
} from "../../../src/vendors/registry.ts";
import { type VendorSettings, vendorSettings } from "../../../src/vendors/settings.ts";
import type { Vendor, VendorContext } from "../../../src/vendors/types.ts";

/** A port nothing listens on: a vendor that reached the network would fail with a VendorError, not a ConfigError. */
const CLOSED = "http://127.0.0.1:9";

const ctx = (vendor: string, extra: Record<string, unknown> = {}): VendorContext => ({
  config: { vendors: { [vendor]: { baseUrl: CLOSED, retries: 0, timeoutMs: 500, ...extra } } },
  log: silentLogger,
  env: { DQCTL_HTTP_BACKOFF_MS: "1" },
});

describe("the registry", () => {
  test("names are unique however they are typed, and plain enough for config keys and flags", () => {
    const canon = VENDORS.map((d) => canonicalVendorName(d.name));
    expect(new Set(canon).size).toBe(VENDORS.length);
    for (const d of VENDORS) {
      expect(d.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(d.description.length).toBeGreaterThan(10);
      expect(d.description).not.toContain("\n");
    }
  });

  test("the lists derived from it are the ones dqctl has always had", () => {
    expect(VENDOR_NAMES).toEqual(["yahoo", "binance", "alphavantage", "fred", "tradingview", "file"]);
    expect(EXTERNAL_SOURCES).toEqual(VENDOR_NAMES);
    expect(CONFIGURABLE_VENDORS).toEqual(["yahoo", "binance", "alphavantage", "fred", "tradingview", "tradingview-scanner"]);
    expect(apiKeyEnvs()).toEqual(["ALPHAVANTAGE_API_KEY", "FRED_API_KEY", "TRADINGVIEW_AUTH_TOKEN"]);
    expect(vendorChoices()).toBe("yahoo | binance | alphavantage | fred | tradingview | file");
  });

  test("createVendor builds each bar vendor by name (any case, _ and - ignored); an unknown name suggests the closest", () => {
    const dir = mkdtempSync(join(tmpdir(), "dqctl-registry-"));
    try {
      for (const d of barVendors()) {
        const c = d.network ? ctx(d.name) : { ...ctx(d.name), config: {}, source: dir };
        expect(createVendor(d.name.toUpperCase(), c).name).toBe(d.name);
      }
      expect(createVendor("alpha_vantage", ctx("alphavantage")).name).toBe("alphavantage");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => createVendor("tradingview-scanner", ctx("x"))).toThrow(ConfigError); // a screener serves no bars
    expect(() => createVendor("yahooo", ctx("x"))).toThrow('unknown vendor "yahooo" (did you mean yahoo?)');
  });

  test("every network endpoint's settings come from its descriptor, overridable by its base-URL variable", () => {
    for (const d of VENDORS) {
      if (!d.network) continue;
      const s = settingsFor(d.name, { config: {}, env: {} });
      expect([d.name, s.baseUrl, s.rateLimitPerMinute, s.concurrency, s.batchSize]).toEqual([
        d.name,
        d.settings.baseUrl.replace(/\/+$/, ""),
        d.settings.rateLimitPerMinute,
        d.settings.concurrency,
        d.settings.batchSize,
      ]);
      expect(settingsFor(d.name, { config: {}, env: { [d.settings.baseUrlEnv]: "http://127.0.0.1:1/" } }).baseUrl).toBe("http://127.0.0.1:1");
    }
    expect(() => settingsFor("file", { config: {}, env: {} })).toThrow("vendor file takes no network settings");
  });
});

describe("capabilities are what the vendors do", () => {
  const request = (id: string, interval: (typeof INTERVAL_NAMES)[number]) => {
    const symbol = parseSymbol(id);
    return { symbol, profile: id.startsWith("FRED:") ? ("equity" as const) : resolveProfile(symbol), interval };
  };
  const symbolFor = (d: BarsDescriptor) => (d.name === "binance" ? "BINANCE:BTCUSDT" : d.name === "fred" ? "FRED:DGS10" : "NASDAQ:AAPL");

  test("an interval a network vendor does not declare is refused with a ConfigError before any request", async () => {
    for (const d of barVendors()) {
      if (!d.network) continue;
      for (const interval of INTERVAL_NAMES.filter((i) => !d.capabilities.intervals.includes(i))) {
        const err = await d
          .create(ctx(d.name, { apiKey: "test-key" }))
          .fetch(request(symbolFor(d), interval))
          .catch((e: unknown) => e);
        expect([d.name, interval, err instanceof ConfigError, String((err as Error).message)]).toEqual([
          d.name,
          interval,
          true,
          expect.stringContaining(interval),
        ]);
      }
    }
  });

  test("a vendor that requires a key refuses to run without one, before any request", async () => {
    const required = barVendors().filter((d) => d.capabilities.apiKey === "required");
    expect(required.map((d) => d.name)).toEqual(["alphavantage", "fred"]);
    for (const d of required) {
      const err = await d
        .create(ctx(d.name))
        .fetch(request(symbolFor(d), "1d"))
        .catch((e: unknown) => e);
      expect([d.name, err instanceof ConfigError, (err as Error).message]).toEqual([d.name, true, `${d.name} needs an API key`]);
      expect(d.network && d.settings.apiKeyEnv).toBeTruthy();
    }
  });

  test("yahoo's declared look-back is the one it clamps to", () => {
    const yahoo = barVendors().find((d) => d.name === "yahoo")!;
    expect(yahoo.capabilities).toMatchObject({ capsHistory: true, historyDays: { "1m": 30, "5m": 60, "15m": 60, "30m": 60, "1h": 730 } });
    expect(yahoo.capabilities.intervals).not.toContain("4h");
  });
});

// A throwaway vendor, written the way a new vendor file would be: it describes itself and resolves its settings
// from its own descriptor.
const ACME: NetworkVendorDescriptor = {
  kind: "bars",
  name: "acme",
  description: "Acme Quotes REST API (a test vendor)",
  network: true,
  capabilities: { intervals: ["1d"], range: true, capsHistory: false, corporateActions: false, apiKey: "required" },
  settings: {
    baseUrl: "https://api.acme.test",
    baseUrlEnv: "DQCTL_ACME_BASE_URL",
    apiKeyEnv: "ACME_API_KEY",
    rateLimitPerMinute: 7,
    concurrency: 3,
    batchSize: 2,
  },
  create: (c) => acmeVendor(c),
};
function acmeVendor(c: VendorContext): Vendor & { settings: VendorSettings } {
  const settings = vendorSettings(ACME, c);
  return { name: ACME.name, settings, fetch: async () => Promise.reject(new Error("not called")) };
}
const WITH_ACME: readonly Descriptor[] = [...VENDORS, ACME];

describe("adding a vendor is its descriptor plus one line in the list", () => {
  test("createVendor builds it, with settings from its descriptor, the environment and the config", () => {
    const env = { DQCTL_ACME_BASE_URL: "http://127.0.0.1:5/", ACME_API_KEY: "acme-key-123" };
    const v = createVendor("Acme", { config: { vendors: { acme: { retries: 1 } } }, log: silentLogger, env }, WITH_ACME) as ReturnType<typeof acmeVendor>;
    expect(v.settings).toMatchObject({
      vendor: "acme",
      baseUrl: "http://127.0.0.1:5",
      apiKey: "acme-key-123",
      retries: 1,
      rateLimitPerMinute: 7,
      concurrency: 3,
      batchSize: 2,
    });
    expect(settingsFor("acme", { config: {}, env: {} }, WITH_ACME).baseUrl).toBe("https://api.acme.test");
    expect(() => createVendor("acme", { config: {}, log: silentLogger, env })).toThrow('unknown vendor "acme"');
  });

  test("help, completion and the lineage sources list it", () => {
    expect(vendorChoices(WITH_ACME)).toBe("yahoo | binance | alphavantage | fred | tradingview | file | acme");
    expect(vendorChoices(WITH_ACME, ", ")).toEndWith("file, acme");
    expect(vendorNames(WITH_ACME)).toEqual([...VENDOR_NAMES, "acme"]);
  });

  test("the config takes vendors.acme and tickers.acme; without it both are refused by name", () => {
    const doc = { vendors: { acme: { retries: 2, apiKey: "k" } }, instruments: { "NASDAQ:AAPL": { tickers: { acme: "AAPL.US" } } } };
    expect(configurableVendors(WITH_ACME)).toContain("acme");
    expect(validateConfig(doc, "c.json", strictConfigSchema(WITH_ACME))).toEqual(doc as never);
    expect(() => validateConfig({ vendors: doc.vendors }, "c.json")).toThrow("c.json: vendors.acme is not a vendor");
    expect(() => validateConfig({ instruments: doc.instruments }, "c.json")).toThrow("c.json: instruments.NASDAQ:AAPL.tickers.acme is not a vendor");
    expect(() => validateConfig({ instruments: { "FX:EURUSD": { tickers: { yahooo: "EURUSD=X" } } } }, "c.json")).toThrow(
      "instruments.FX:EURUSD.tickers.yahooo is not a vendor (did you mean yahoo?)",
    );
  });

  test("its key variable is a secret; reference data may key tickers by it", () => {
    const env = { ACME_API_KEY: "acme-secret-1" };
    expect(secretsInEnv(env, apiKeyEnvs(WITH_ACME))).toEqual(["acme-secret-1"]);
    expect(secretsInEnv(env)).toEqual([]);
    const ref = { "NASDAQ:AAPL": { tickers: { acme: "AAPL.US" } } };
    expect(parseInstruments(ref, "instruments.json", vendorNames(WITH_ACME))["NASDAQ:AAPL"]!.tickers).toEqual({ acme: "AAPL.US" });
    expect(() => parseInstruments(ref, "instruments.json")).toThrow('instruments.json: key NASDAQ:AAPL: field tickers.acme: "acme" is not a vendor');
    expect(() => parseInstruments({ "LSE:VOD": { tickers: { yaho: "VOD.L" } } }, "instruments.json")).toThrow(
      'field tickers.yaho: "yaho" is not a vendor (did you mean yahoo?)',
    );
  });
});

/** One README row per descriptor, from its fields (so the README cannot drift from the registry). */
function vendorRow(d: Descriptor): string {
  const key = !d.network || !d.settings.apiKeyEnv ? "—" : `${d.kind === "bars" ? d.capabilities.apiKey : "optional"} (\`${d.settings.apiKeyEnv}\`)`;
  const env = d.network ? `\`${d.settings.baseUrlEnv}\`` : "— (local)";
  if (d.kind === "screener") return `| \`${d.name}\` | ${d.description} | — (screener) | — | — | — | ${key} | ${env} |`;
  const c = d.capabilities;
  const days = Object.entries(c.historyDays ?? {}).map(([i, n]) => `${i} ${n} d`);
  const history = days.length
    ? `${days.join(", ")}${c.capsHistory ? "; clamped beyond, marked incomplete" : ""}; else full`
    : c.capsHistory
      ? "full; an account limit is marked incomplete"
      : "full";
  const yes = (b: boolean) => (b ? "yes" : "no");
  return `| \`${d.name}\` | ${d.description} | ${c.intervals.join(" ")} | ${yes(c.range)} | ${history} | ${yes(c.corporateActions)} | ${key} | ${env} |`;
}

test("the README's vendor table lists exactly the registry's vendors, as they describe themselves", () => {
  const readme = readFileSync(join(import.meta.dir, "../../../README.md"), "utf8").split("\n");
  const head = readme.findIndex((l) => l.startsWith("| vendor | what |"));
  expect(head).toBeGreaterThan(0);
  const rows: string[] = [];
  for (let i = head + 2; readme[i]?.startsWith("|"); i++) rows.push(readme[i]!);
  expect(rows).toEqual(VENDORS.map(vendorRow));
  expect(vendorRow(ACME)).toBe("| `acme` | Acme Quotes REST API (a test vendor) | 1d | yes | full | no | required (`ACME_API_KEY`) | `DQCTL_ACME_BASE_URL` |");
});
