// Config validated to the leaves: every key known or refused with its path and a suggestion, every value checked,
// and messages in plain words (never the schema library's). The known `checks.<code>` keys come from the
// check registry, the vendor names from the vendor registry: nothing here is a second hand-written list.
import * as v from "valibot";
import { RENAMED_CODES } from "../bootstrap/codes.ts";
import { symbolKeyProblem } from "../checks/index.ts";
import { CODES, codeInfo } from "../checks/registry.ts";
import type { OptionMeta } from "../checks/types.ts";
import { ConfigError } from "../errors.ts";
import { LineageConfig } from "../lineage/model.ts";
import { INTERVAL_NAMES } from "../model/interval.ts";
import { describeRange } from "../model/parse.ts";
import { suggestion } from "../suggest.ts";
import type { Descriptor } from "../vendors/descriptor.ts";
import { barVendors, configurableVendors, findVendor, VENDORS, vendorNames } from "../vendors/registry.ts";
import { type Config, ConfigSchema, Instrument, NetworkVendorOptions, VendorOptions } from "./schema.ts";

/** Vendors that take settings under `vendors.<name>` (the TradingView screener has its own entry). */
export const CONFIGURABLE_VENDORS: readonly string[] = configurableVendors();

function optionSchema(o: OptionMeta): v.GenericSchema {
  if (Array.isArray(o.default)) {
    return typeof o.default[0] === "number"
      ? v.array(v.pipe(v.number("a number"), v.finite("a finite number")), "a list of numbers")
      : v.array(v.string("a string"), "a list of strings");
  }
  const ok = (n: number) =>
    Number.isFinite(n) && (!o.integer || Number.isInteger(n)) && (o.min === undefined || n >= o.min) && (o.max === undefined || n <= o.max);
  return v.pipe(v.number(describeRange(o)), v.check(ok, describeRange(o)));
}

/** The keys of one check's settings (also the keys of each `byInterval` layer). */
function settingKeys(options: Readonly<Record<string, OptionMeta>>) {
  return {
    severity: v.optional(v.picklist(["warning", "error", "off"], "warning, error or off")),
    ...Object.fromEntries(Object.entries(options).map(([k, o]) => [k, v.optional(optionSchema(o))])),
  };
}

/** A check's settings with their scoped layers (see OPTION_PRECEDENCE in src/checks/types.ts). */
function checkSchema(options: Readonly<Record<string, OptionMeta>>) {
  // Per-interval overrides: the same keys, for series of one interval (`byInterval["1m"].minRun`).
  const byInterval = v.optional(v.strictObject(Object.fromEntries(INTERVAL_NAMES.map((iv) => [iv, v.optional(v.strictObject(settingKeys(options)))]))));
  // A class or symbol layer: the same keys, and per-interval keys within it (`byClass.crypto.byInterval["1m"]`).
  const scoped = v.strictObject({ ...settingKeys(options), byInterval });
  const symbolKey = v.pipe(
    v.string(),
    v.check((k) => symbolKeyProblem(k) === undefined, "a dqctl id as dqctl writes it (EXCHANGE:TICKER, upper case)"),
  );
  return v.strictObject({
    ...settingKeys(options),
    byInterval,
    // Per class: a profile (crypto, equity, futures, forex) or an instrument's assetClass (stock, etf, …).
    byClass: v.optional(v.record(v.pipe(v.string(), v.minLength(1, "a class name")), scoped)),
    // Per instrument, keyed by dqctl id.
    bySymbol: v.optional(v.record(symbolKey, scoped)),
  });
}

const checksSchema = v.strictObject(Object.fromEntries(CODES.filter((c) => c.configurable).map((c) => [c.code, v.optional(checkSchema(c.options))])));

/** `vendors.<name>` entries: network vendors take the HTTP settings, a local one the keys it declares. */
function vendorsEntries(vendors: readonly Descriptor[]): Record<string, v.GenericSchema> {
  const out: Record<string, v.GenericSchema> = Object.fromEntries(configurableVendors(vendors).map((n) => [n, v.optional(NetworkVendorOptions)]));
  for (const d of barVendors(vendors))
    if (!d.network && d.configKeys.length) out[d.name] = v.optional(v.strictObject(Object.fromEntries(d.configKeys.map((k) => [k, VendorOptions.entries[k]]))));
  return out;
}

/**
 * The strict form of the config schema for a vendor list: the same fields, with `checks`, `vendors`,
 * `instruments.<id>.tickers` and `lineage` closed over what exists.
 */
export function strictConfigSchema(vendors: readonly Descriptor[] = VENDORS) {
  const tickers = v.strictObject(Object.fromEntries(vendorNames(vendors).map((n) => [n, v.optional(v.string())])));
  return v.strictObject({
    ...ConfigSchema.entries,
    lineage: v.optional(LineageConfig),
    checks: v.optional(checksSchema),
    vendors: v.optional(v.strictObject(vendorsEntries(vendors))),
    instruments: v.optional(v.record(v.string(), v.strictObject({ ...Instrument.entries, tickers: v.optional(tickers) }))),
  });
}

/** The strict config schema over the registry's vendors. */
export const StrictConfigSchema = strictConfigSchema();

type AnySchema = v.GenericSchema & { type: string; wrapped?: AnySchema; entries?: Record<string, AnySchema>; value?: AnySchema };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** Refuse the first key (in document order) that the schema does not know, naming its path. */
function checkKeys(schema: AnySchema, value: unknown, path: string[], file: string): void {
  while (schema.type === "optional" && schema.wrapped) schema = schema.wrapped;
  if (!isObject(value)) return; // wrong types are reported by the schema below
  if (schema.type === "strict_object" && schema.entries) {
    for (const key of Object.keys(value)) {
      const sub = schema.entries[key];
      if (!sub) throw unknownKey(file, path, key, Object.keys(schema.entries));
      checkKeys(sub, value[key], [...path, key], file);
    }
  } else if (schema.type === "record" && schema.value) {
    for (const key of Object.keys(value)) checkKeys(schema.value, value[key], [...path, key], file);
  }
}

function unknownKey(file: string, path: string[], key: string, known: string[]): ConfigError {
  const at = [...path, key].join(".");
  const mean = suggestion(key, known);
  const [top, name] = path;
  if (path.length === 0) {
    const misplaced = codeInfo(key)?.configurable ? ` (did you mean checks.${key}?)` : "";
    return new ConfigError(`${file}: ${key} is not a setting${misplaced || mean}`, `the settings are ${known.join(", ")}`);
  }
  if (top === "checks" && path.length === 1) {
    const renamed = RENAMED_CODES[key];
    if (renamed)
      return new ConfigError(
        `${file}: ${at}: bootstrap no longer reports ${key}; it is ${renamed.why}`,
        `set checks.${renamed.code} instead (see \`dqctl explain ${renamed.code}\`)`,
      );
    const info = codeInfo(key);
    if (info && !info.configurable) return new ConfigError(`${file}: ${at}: ${key} takes no settings (${info.notConfigurable})`, `remove ${at}`);
    return new ConfigError(`${file}: ${at} is not a check${mean}`, "run `dqctl explain` to list the checks and their options");
  }
  if (top === "checks" && path.length >= 3 && path[path.length - 1] === "byInterval")
    return new ConfigError(`${file}: ${at} is not an interval${mean}`, `intervals: ${known.join(", ")}`);
  if (top === "checks" && path.length >= 2)
    return new ConfigError(`${file}: ${at} is not an option of ${name}${mean}`, `${name} takes ${known.join(", ")} there (see \`dqctl explain ${name}\`)`);
  if (top === "vendors" && path.length === 1) {
    const local = findVendor(key);
    if (local && !local.network && !local.configKeys.length)
      return new ConfigError(`${file}: ${at}: the ${local.name} vendor takes no settings`, `remove ${at}; it reads ${local.description}`);
    return new ConfigError(`${file}: ${at} is not a vendor${mean}`, `vendors with settings: ${known.join(", ")}`);
  }
  if (top === "vendors" && path.length === 2)
    return new ConfigError(`${file}: ${at} is not a setting of vendor ${name}${mean}`, `vendor settings: ${known.join(", ")}`);
  if (top === "instruments" && path.length === 3 && path[2] === "tickers")
    return new ConfigError(`${file}: ${at} is not a vendor${mean}`, `tickers are keyed by vendor: ${known.join(", ")}`);
  if (top === "instruments" && path.length === 2)
    return new ConfigError(`${file}: ${at} is not an instrument field${mean}`, `instrument fields: ${known.join(", ")}`);
  if (top === "lineage" && path.length === 2 && name === "nodes")
    return new ConfigError(`${file}: ${at} is not a lineage node${mean}`, `the nodes are ${known.join(", ")}`);
  return new ConfigError(`${file}: ${at} is not a known key${mean}`, `keys there: ${known.join(", ")}`);
}

const WORDS: Record<string, string> = { number: "a number", string: "a string", boolean: "true or false", Array: "a list", Object: "an object of settings" };

/** One valibot issue in plain words: `expected a whole number ≥ 0, got -1`. */
function describeIssue(issue: v.BaseIssue<unknown>): string {
  const got = issue.input === undefined ? "nothing" : JSON.stringify(issue.input);
  const custom = !issue.message.startsWith("Invalid ");
  let want: string;
  if (custom) want = issue.message.replace(/^expected /, "");
  else if (issue.kind === "schema") {
    const e = issue.expected ?? "another value";
    want =
      WORDS[e] ??
      (e.includes(" | ")
        ? `one of ${e
            .replace(/^\(|\)$/g, "")
            .replace(/"/g, "")
            .replace(/ \| /g, ", ")}`
        : e);
  } else want = issue.message;
  return `expected ${want}, got ${got}`;
}

/** Validate a parsed config document (`file` names it in errors; `schema` from strictConfigSchema); returns it typed. */
export function validateConfig(raw: unknown, file: string, schema: v.GenericSchema = StrictConfigSchema): Config {
  if (!isObject(raw))
    throw new ConfigError(
      `${file}: expected an object of settings at the top level, got ${Array.isArray(raw) ? "a list" : JSON.stringify(raw)}`,
      'write e.g. { "lakehouse": "data/lakehouse" }',
    );
  checkKeys(schema as unknown as AnySchema, raw, [], file);
  const res = v.safeParse(schema, raw);
  if (res.success) return res.output as Config;
  const issue = res.issues[0]!;
  const path = v.getDotPath(issue) ?? "(top level)";
  const code = path.startsWith("checks.") ? path.split(".")[1] : undefined;
  throw new ConfigError(
    `${file}: ${path}: ${describeIssue(issue)}`,
    code ? `fix that value (see \`dqctl explain ${code}\`)` : "fix that value in the config file",
  );
}
