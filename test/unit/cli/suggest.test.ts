import { describe, expect, test } from "bun:test";
import { didYouMean, editDistance } from "../../../src/suggest.ts";

describe("did you mean", () => {
  test("edit distance counts insertions, deletions, substitutions and transpositions", () => {
    expect(editDistance("audit", "audit")).toBe(0);
    expect(editDistance("audti", "audit")).toBe(1);
    expect(editDistance("maxGapDay", "maxGapDays")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  test("typos find their name; unrelated words find nothing", () => {
    expect(didYouMean("audti", ["scan", "audit", "ingest"])).toBe("audit");
    expect(didYouMean("fail-on-qualty", ["fail-on-quality", "from"])).toBe("fail-on-quality");
    expect(didYouMean("maxGapDay", ["severity", "maxGapDays"])).toBe("maxGapDays");
    expect(didYouMean("retry", ["retries", "timeoutMs"])).toBe("retries");
    expect(didYouMean("lakehous", ["lakehouse", "interval"])).toBe("lakehouse");
    expect(didYouMean("LAKEHOUSE", ["lakehouse"])).toBe("lakehouse");
    expect(didYouMean("banana", ["scan", "audit", "ingest"])).toBeUndefined();
    expect(didYouMean("x", ["json", "now"])).toBeUndefined();
  });
});
