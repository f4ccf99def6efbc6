// A corrupt lakehouse file is the file's problem: flipping any single byte of a real encoded file either still
// decodes (to bars whose timestamps are all inside the window) or throws an InputError naming the file —
// never "Out of memory", "Invalid Date" or a bare RangeError (fast-check, fixed seed).
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.ts";
import { decodeBars, encodeBars, initParquet } from "../../src/lakehouse/parquet.ts";
import { MAX_TIMESTAMP_MS, MIN_TIMESTAMP_MS } from "../../src/model/time-window.ts";
import { dailyBars } from "../helpers/bars-data.ts";

const SEED = 20261202;
const LABEL = "BINANCE:BTCUSDT 1d: lh/BINANCE_BTCUSDT_1d.parquet";

await initParquet();
const closes = Array.from({ length: 120 }, (_, i) => 100 + 10 * Math.sin(i / 7));
const original = encodeBars(dailyBars(closes, "2020-01-01"));

/** Decode `bytes`; "ok" when every timestamp is in the window, "input" for an InputError naming the file; otherwise throws. */
function outcome(bytes: Uint8Array): "ok" | "input" {
  let bars;
  try {
    bars = decodeBars(bytes, LABEL);
  } catch (err) {
    if (!(err instanceof InputError)) throw new Error(`not an InputError: ${String(err)}`, { cause: err });
    expect(err.message.startsWith(`${LABEL}: `)).toBe(true);
    expect(err.message).not.toMatch(/Invalid Date|Out of memory/);
    return "input";
  }
  const outside = bars.timestamp.filter((t) => !(t >= MIN_TIMESTAMP_MS && t < MAX_TIMESTAMP_MS));
  expect(outside.length).toBe(0);
  return "ok";
}

describe("a single flipped byte in a lakehouse file", () => {
  test("decodes to in-window bars or is an InputError naming the file", () => {
    const seen = { ok: 0, input: 0 };
    fc.assert(
      fc.property(fc.nat({ max: original.length - 1 }), fc.integer({ min: 1, max: 255 }), (pos, mask) => {
        const bytes = original.slice();
        bytes[pos]! ^= mask;
        seen[outcome(bytes)]++;
      }),
      { seed: SEED, numRuns: 1000 },
    );
    // Both sides were exercised: the property is not vacuously true.
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.input).toBeGreaterThan(0);
  });

  test("the high byte of a stored timestamp flipped: the row and the value are named", () => {
    // Find the first timestamp's little-endian int64 in the file (plain-encoded, snappy keeps it literal).
    const t0 = BigInt(Date.UTC(2020, 0, 1));
    const le = new Uint8Array(new BigInt64Array([t0]).buffer);
    const at = original.findIndex((_, i) => le.every((b, k) => original[i + k] === b));
    expect(at).toBeGreaterThan(0);
    const bytes = original.slice();
    bytes[at + 6] = 0x7f; // ≈ 3.6e19 ms: far beyond 2200
    expect(() => decodeBars(bytes, LABEL)).toThrow(InputError);
    expect(() => decodeBars(bytes, LABEL)).toThrow(/BTCUSDT_1d\.parquet: row 1: timestamp .* is outside 1900-01-01 … 2200-01-01 UTC/);
  });
});
