import { describe, expect, test } from "bun:test";
import { leadingGlobals, parseArgv } from "../../../commands/_argv.ts";
import { globalArgs, seriesArgs } from "../../../commands/_shared.ts";
import { ConfigError } from "../../../src/errors.ts";

const defs = {
  ...globalArgs,
  ...seriesArgs,
  "read-only": { type: "boolean" as const, description: "" },
  dir: { type: "positional" as const, description: "", required: false },
};
const ctx = { where: "dqctl x", examples: ["dqctl x --symbols BINANCE:BTCUSDT"] };
const parse = (...t: string[]) => parseArgv(t, defs, ctx);

describe("argv", () => {
  test("both value forms, booleans and their negation, list flags adding up, -- ends flags", () => {
    expect(parse("--symbols", "A:B", "--interval=1h")).toMatchObject({ symbols: "A:B", interval: "1h" });
    expect(parse("--symbols", "A:B", "--symbols=C:D").symbols).toBe("A:B,C:D");
    expect(parse("--read-only", "--no-json")).toMatchObject({ "read-only": true, json: false });
    expect(parse("--json=false").json).toBe(false);
    expect(parse("--", "--weird-dir")).toMatchObject({ dir: "--weird-dir", _: ["--weird-dir"] });
    expect(parse("--fail-on-quality", "runs/x")).toMatchObject({ "fail-on-quality": "error", dir: "runs/x" }); // a slot is left: the word is the positional
    expect(parse("--fail-on-quality", "warning", "runs/x")).toMatchObject({ "fail-on-quality": "warning", dir: "runs/x" });
  });

  test("refusals", () => {
    const bad = (t: string[], msg: string) => {
      expect(() => parseArgv(t, defs, ctx)).toThrow(ConfigError);
      expect(() => parseArgv(t, defs, ctx)).toThrow(msg);
    };
    bad(["a", "b"], 'unexpected argument "b" for `dqctl x`');
    bad(["--symbol", "A:B"], "unknown flag --symbol for `dqctl x` (did you mean --symbols?)");
    bad(["--symbols"], "--symbols needs a value");
    bad(["--symbols="], "--symbols needs a value (got an empty one)");
    bad(["--now", "a", "--now", "b"], '--now given twice ("a" and "b")');
    bad(["-x"], "unknown flag -x");
    expect(parse("--now", "a", "--now", "a").now).toBe("a"); // the same value twice is no conflict
  });

  test("global flags before the command are split off and spelled out", () => {
    expect(leadingGlobals(["--json", "--lakehouse", "lh", "--fail-on-quality", "audit", "x"], true)).toEqual({
      globals: ["--json", "--lakehouse", "lh", "--fail-on-quality=error"],
      rest: ["audit", "x"],
    });
    expect(leadingGlobals(["--fail-on-quality", "warning", "audit"], true).globals).toEqual(["--fail-on-quality=warning"]);
    expect(leadingGlobals(["--json", "--symbols", "A", "verify"], false)).toEqual({ globals: ["--json"], rest: ["--symbols", "A", "verify"] });
    expect(() => leadingGlobals(["--symbols", "A", "audit"], true)).toThrow("--symbols is not a global flag");
  });
});
