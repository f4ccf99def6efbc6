import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { decodeFrames, encodeFrame, encodeMessage, extractBars, isHeartbeat, parseMessage } from "../../../src/vendors/tradingview/protocol.ts";

describe("~m~ framing", () => {
  test("several frames in one message, heartbeats recognised", () => {
    const data = `${encodeFrame("~h~7")}${encodeMessage("series_completed", ["cs_a", "sds_1"])}~m~2~m~{}`;
    const frames = decodeFrames(data);
    expect(frames).toEqual(["~h~7", '{"m":"series_completed","p":["cs_a","sds_1"]}', "{}"]);
    expect(isHeartbeat(frames[0]!)).toBe(true);
    expect(parseMessage(frames[1]!)).toEqual({ m: "series_completed", p: ["cs_a", "sds_1"] });
    expect(parseMessage(frames[2]!)).toBeUndefined();
  });
  test("encode/decode round-trips any payloads (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ minLength: 1 }).filter((s) => !s.includes("~m~")),
          { maxLength: 8 },
        ),
        (payloads) => {
          expect(decodeFrames(payloads.map((p) => encodeFrame(p)).join(""))).toEqual(payloads);
        },
      ),
      { seed: 7 },
    );
  });
  test("a length counted in bytes (non-ASCII) falls back to the next header", () => {
    const p = '{"m":"x","p":["é"]}';
    const bytes = new TextEncoder().encode(p).length;
    expect(decodeFrames(`~m~${bytes}~m~${p}${encodeFrame("~h~1")}`)).toEqual([p, "~h~1"]);
  });
});

test("extractBars reads timescale_update rows and defaults a missing volume to 0", () => {
  const msg = {
    m: "timescale_update",
    p: [
      "cs",
      {
        sds_1: {
          s: [
            { i: 0, v: [1704205800, 1, 2, 0.5, 1.5, 100] },
            { i: 1, v: [1704292200, 1, 2, 0.5, 1.5] },
            { i: 2, v: [null, 1, 1, 1, 1] },
          ],
        },
      },
    ],
  };
  expect(extractBars(msg, "sds_1")).toEqual([
    [1704205800, 1, 2, 0.5, 1.5, 100],
    [1704292200, 1, 2, 0.5, 1.5, 0],
  ]);
  expect(extractBars(msg, "sds_2")).toEqual([]);
});
