// The message of the streaming ingest: the documented JSON, checked field by field; each refusal names the field.
import { describe, expect, test } from "bun:test";
import Ajv2020 from "ajv/dist/2020.js";
import fc from "fast-check";
import { parseBarMessage, STREAM_BAR_SCHEMA } from "../../../src/stream/bar-message.ts";

const enc = (v: unknown) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));
const good = {
  symbol: "BINANCE:BTCUSDT",
  interval: "1m",
  timestamp: 1733097600000,
  open: 1,
  high: 2,
  low: 0.5,
  close: 1.5,
  volume: 3,
  producedAt: 1733097600123,
};
const validate = new Ajv2020({ strict: false }).compile(STREAM_BAR_SCHEMA);

describe("parseBarMessage", () => {
  test("the example of the documentation is a bar", () => {
    const b = parseBarMessage(enc(good));
    expect("reason" in b).toBe(false);
    expect(b).toMatchObject({ interval: "1m", timestamp: 1733097600000, producedAt: 1733097600123, close: 1.5 });
    expect(validate(good)).toBe(true);
  });

  test.each([
    ["{oops", "not JSON"],
    ["[1]", "not a JSON object"],
    [{ ...good, symbol: "BTC USDT" }, "symbol"],
    [{ ...good, interval: "2m" }, "interval"],
    [{ ...good, timestamp: 1733097600 }, "epoch seconds"],
    [{ ...good, timestamp: 1.5e12 + 0.5 }, "timestamp"],
    [{ ...good, producedAt: undefined }, "producedAt: missing"],
    [{ ...good, close: "1.5" }, "close"],
    [{ ...good, volume: -1 }, "volume"],
  ])("refuses %j naming %s", (doc, why) => {
    const b = parseBarMessage(enc(doc));
    expect("reason" in b && b.reason).toContain(why);
  });

  test("property: a message the parser accepts is valid against the shipped schema", () => {
    const num = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant("x"), fc.constant(null));
    fc.assert(
      fc.property(
        fc.record({ interval: fc.constantFrom("1m", "1h", "3m"), timestamp: fc.integer({ min: -1e12, max: 7e12 }), close: num, volume: num }),
        (over) => {
          const doc = { ...good, ...over };
          const b = parseBarMessage(enc(doc));
          if (!("reason" in b)) expect(validate(doc)).toBe(true);
        },
      ),
      { seed: 21, numRuns: 300 },
    );
  });
});
