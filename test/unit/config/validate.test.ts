// Config validated to the leaves, with the known keys derived from the check registry and the vendor settings.
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CODES } from "../../../src/checks/registry.ts";
import { loadConfig, parseConfigText } from "../../../src/config/load.ts";
import { CONFIGURABLE_VENDORS, validateConfig } from "../../../src/config/validate.ts";
import { ConfigError } from "../../../src/errors.ts";
import { tempDir } from "../../helpers/cli.ts";

const refused = (raw: unknown, text: string) => {
  expect(() => validateConfig(raw, "dqctl.config.json")).toThrow(ConfigError);
  expect(() => validateConfig(raw, "dqctl.config.json")).toThrow(text);
};

describe("checks.<code>", () => {
  test("every option of every configurable code is accepted at its default", () => {
    const checks: Record<string, Record<string, unknown>> = {};
    for (const c of CODES.filter((x) => x.configurable)) {
      checks[c.code] = { severity: "warning" };
      for (const [k, o] of Object.entries(c.options)) if (o.default !== undefined) checks[c.code]![k] = o.default;
    }
    expect(validateConfig({ checks }, "f").checks).toEqual(checks as never);
  });

  test("per class and per symbol layers are validated to the leaves, with byInterval inside them", () => {
    const ok = {
      checks: {
        price_stall: {
          minRun: 4,
          byClass: { crypto: { minRun: 5, byInterval: { "1m": { minRun: 90, severity: "off" } } }, etf: { severity: "warning" } },
          bySymbol: { "NYSE:AAPL": { minRun: 6, byInterval: { "1h": { minRun: 12 } } } },
        },
      },
    };
    expect(validateConfig(ok, "f").checks).toEqual(ok.checks as never);
    refused(
      { checks: { price_stall: { byClass: { crypto: { minRn: 4 } } } } },
      "checks.price_stall.byClass.crypto.minRn is not an option of price_stall (did you mean minRun?)",
    );
    refused(
      { checks: { price_stall: { byClass: { crypto: { minRun: 0 } } } } },
      "checks.price_stall.byClass.crypto.minRun: expected a whole number ≥ 1, got 0",
    );
    refused(
      { checks: { gap: { bySymbol: { "NYSE:AAPL": { maxGapSessions: -1 } } } } },
      "checks.gap.bySymbol.NYSE:AAPL.maxGapSessions: expected a number ≥ 0, got -1",
    );
    refused(
      { checks: { gap: { bySymbol: { "nyse:aapl": {} } } } },
      'checks.gap.bySymbol.nyse:aapl: expected a dqctl id as dqctl writes it (EXCHANGE:TICKER, upper case), got "nyse:aapl"',
    );
    refused(
      { checks: { gap: { byClass: { crypto: { byInterval: { "7m": {} } } } } } },
      "checks.gap.byClass.crypto.byInterval.7m is not an interval (did you mean 1m?)",
    );
    refused({ checks: { gap: { byClass: { crypto: { bySymbol: {} } } } } }, "checks.gap.byClass.crypto.bySymbol is not an option of gap");
    refused(
      { checks: { gap: { byClass: { crypto: { severity: "loud" } } } } },
      'checks.gap.byClass.crypto.severity: expected warning, error or off, got "loud"',
    );
    refused({ checks: { gap: { byClass: { crypto: 3 } } } }, "checks.gap.byClass.crypto: expected an object of settings, got 3");
  });

  test("bootstrap's former codes are refused, naming the engine's code that replaced each", () => {
    refused({ checks: { staleness: { warnHours: 3 } } }, "checks.staleness: bootstrap no longer reports staleness; it is the engine's stale check");
    refused({ checks: { missing_rows: {} } }, "checks.missing_rows: bootstrap no longer reports missing_rows; it is the engine's gap check");
    refused({ checks: { stale_series: {} } }, "checks.stale_series: bootstrap no longer reports stale_series");
  });

  test("a typo in an option of any code is refused with its path and the option it resembles", () => {
    for (const c of CODES.filter((x) => x.configurable)) {
      for (const k of Object.keys(c.options)) {
        const typo = k.slice(0, -1);
        if (Object.hasOwn(c.options, typo)) continue;
        refused({ checks: { [c.code]: { [typo]: 1 } } }, `dqctl.config.json: checks.${c.code}.${typo} is not an option of ${c.code} (did you mean ${k}?)`);
      }
    }
  });

  test("the wording the issue asks for", () => {
    refused({ checks: { gap: { maxGapDay: 3 } } }, "dqctl.config.json: checks.gap.maxGapDay is not an option of gap (did you mean maxGapDays?)");
    refused({ checks: { gapp: {} } }, "checks.gapp is not a check (did you mean gap?)");
    refused({ checks: { gap: { maxGapDays: -1 } } }, "checks.gap.maxGapDays: expected a number ≥ 0, got -1");
    refused({ checks: { volume_spike: { window: 2.5 } } }, "checks.volume_spike.window: expected a whole number ≥ 1, got 2.5");
    refused({ checks: { coverage: { warn: 2 } } }, "checks.coverage.warn: expected a number between 0 and 1, got 2");
    refused({ checks: { gap: { severity: "fatal" } } }, 'checks.gap.severity: expected warning, error or off, got "fatal"');
    refused({ checks: { price_stall: { stablecoins: "USDC" } } }, 'checks.price_stall.stablecoins: expected a list of strings, got "USDC"');
    refused({ checks: { snapshot_changed: {} } }, "checks.snapshot_changed: snapshot_changed takes no settings");
    refused({ coverage: { warn: 0.8 } }, "coverage is not a setting (did you mean checks.coverage?)");
  });
});

describe("vendors, instruments, lineage, top level", () => {
  test("vendor names come from the vendor settings; their keys are all known", () => {
    for (const name of CONFIGURABLE_VENDORS)
      expect(validateConfig({ vendors: { [name]: { retries: 2 } } }, "f").vendors).toEqual({ [name]: { retries: 2 } } as never);
    refused({ vendors: { yahoo: { retry: 3 } } }, "vendors.yahoo.retry is not a setting of vendor yahoo (did you mean retries?)");
    refused({ vendors: { yahooo: {} } }, "vendors.yahooo is not a vendor (did you mean yahoo?)");
    // The file vendor is local: it takes only the keys its descriptor lists (README: vendors.file.maxFileBytes).
    expect(validateConfig({ vendors: { file: { maxFileBytes: 4294967296 } } }, "f").vendors).toEqual({ file: { maxFileBytes: 4294967296 } });
    refused({ vendors: { file: { retries: 2 } } }, "vendors.file.retries is not a setting of vendor file");
    refused({ vendors: { yahoo: { maxFileBytes: 1 } } }, "vendors.yahoo.maxFileBytes is not a setting of vendor yahoo");
    refused({ vendors: { fred: { baseUrl: "not a url" } } }, 'vendors.fred.baseUrl: expected a URL such as https://host:port, got "not a url"');
  });

  test("instruments, lineage and top-level keys", () => {
    refused({ instruments: { "FX:EURUSD": { profle: "forex" } } }, "instruments.FX:EURUSD.profle is not an instrument field (did you mean profile?)");
    refused({ instruments: { "FX:EURUSD": { profile: "fx" } } }, 'instruments.FX:EURUSD.profile: expected one of crypto, equity, futures, forex, got "fx"');
    refused({ lineage: { nodes: { golden_lakehous: {} } } }, "lineage.nodes.golden_lakehous is not a lineage node (did you mean golden_lakehouse?)");
    refused({ lineage: { severty: "error" } }, "lineage.severty is not a known key (did you mean severity?)");
    refused({ lakehous: "x" }, "dqctl.config.json: lakehous is not a setting (did you mean lakehouse?)");
    refused({ price: "adj" }, 'dqctl.config.json: price: expected one of raw, adjusted, got "adj"');
    expect(validateConfig({ price: "adjusted" }, "f").price).toBe("adjusted");
    refused({ checks: { empty_rows: { lines: 3 } } }, "checks.empty_rows.lines is not an option of empty_rows");
    expect(validateConfig({ checks: { split_unadjusted: { severity: "warning" }, empty_rows: { severity: "off" } } }, "f").checks).toBeDefined();
    refused([], "expected an object of settings at the top level, got a list");
    // No library jargon anywhere.
    try {
      validateConfig({ lakehous: "x" }, "f");
    } catch (e) {
      expect((e as ConfigError).oneLine()).not.toMatch(/Expected never|Invalid key|received/);
    }
  });
});

describe("config files", () => {
  test("JSON syntax errors name line and column; repeated keys are refused", () => {
    const at = (text: string) => {
      try {
        parseConfigText(text, "c.json", "c.json");
      } catch (e) {
        return (e as ConfigError).message;
      }
      return "parsed";
    };
    expect(at('{\n  "lakehouse": "x",\n}')).toBe('c.json:3:1: malformed JSON: a trailing comma before "}"');
    expect(at('{ "a": 1 "b": 2 }')).toBe('c.json:1:10: malformed JSON: expected "," or "}" after the value of "a", found "\\""');
    expect(at("{ 'a': 1 }")).toBe('c.json:1:3: malformed JSON: expected a key in double quotes, found "\'"');
    expect(at('{\n  "checks": {},\n  "checks": {}\n}')).toBe('c.json:3:3: malformed JSON: the key "checks" appears twice in this object');
    expect(at('{"a": [1, 2,]}')).toBe('c.json:1:13: malformed JSON: a trailing comma before "]"');
    expect(at("")).toBe("c.json:1:1: malformed JSON: unexpected end of the file (a value is missing)");
    expect(at('{"a": tru}')).toBe('c.json:1:7: malformed JSON: unexpected "t" where a value should be');
    expect(parseConfigText('{"a": [1, -2.5e3, "x\\n", true, null], "__proto__": 1}', "c.json", "c.json")).toEqual(
      JSON.parse('{"a": [1, -2.5e3, "x\\n", true, null], "__proto__": 1}'),
    );
  });

  test("YAML is accepted where JSON is, with the same validation; the default file may be .yaml", () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, "dqctl.config.yaml"), "# comments are fine\nchecks:\n  gap:\n    maxGapDays: 10\n");
      expect(loadConfig(undefined, dir).config).toEqual({ checks: { gap: { maxGapDays: 10 } } });
      writeFileSync(join(dir, "dqctl.config.yaml"), "checks:\n  gap:\n    maxGapDay: 10\n");
      expect(() => loadConfig(undefined, dir)).toThrow("dqctl.config.yaml: checks.gap.maxGapDay is not an option of gap (did you mean maxGapDays?)");
      writeFileSync(join(dir, "dqctl.config.yaml"), "checks:\n  gap: 1\n  gap: 2\n");
      expect(() => loadConfig(undefined, dir)).toThrow("dqctl.config.yaml:3:3: malformed YAML: Map keys must be unique");
      writeFileSync(join(dir, "dqctl.config.json"), "{}");
      expect(() => loadConfig(undefined, dir)).toThrow("dqctl.config.json and dqctl.config.yaml both exist");
      writeFileSync(join(dir, "other.yml"), "lakehouse: lh\n");
      expect(loadConfig(join(dir, "other.yml"), dir).config).toEqual({ lakehouse: "lh" });
      expect(() => loadConfig(join(dir, "nope.json"), dir)).toThrow("config file not found");
      expect(() => loadConfig(join(dir, "config.toml"), dir)).toThrow("is not a .json, .yaml or .yml file");
    } finally {
      cleanup();
    }
  });
});
