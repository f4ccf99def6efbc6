// The file vendor's Arrow-free read of a Parquet source (readPlainColumns, parquet-ffi.ts): for random files of every
// column type it reads (doubles with NaN and nulls, float32, int32, int64 past 2^53, timestamps in s/ms/µs/ns before
// and after 1970, DATE32) over one or several row groups, each cell is what the values written say, times floored to
// whole ms exactly; a file with a column of another type (a string) is left to the Arrow path.
import { describe, expect, test } from "bun:test";
import * as arrow from "apache-arrow";
import fc from "fast-check";
import { encodeArrowTable, initParquet, int64Millis, readPlainColumns } from "../../../src/lakehouse/parquet.ts";

await initParquet();

const UNITS = [
  [arrow.TimeUnit.SECOND, 1000n, 1n],
  [arrow.TimeUnit.MILLISECOND, 1n, 1n],
  [arrow.TimeUnit.MICROSECOND, 1n, 1000n],
  [arrow.TimeUnit.NANOSECOND, 1n, 1_000_000n],
] as const;

/** floor(v × mul ÷ div) in BigInt arithmetic: the oracle for a time cell. */
const floorMs = (v: bigint, mul: bigint, div: bigint) => {
  const s = v * mul;
  const q = s / div;
  return Number(s < 0n && q * div !== s ? q - 1n : q);
};

interface Generated {
  table: arrow.Table;
  /** Per column: the expected cell values (null where null). */
  expected: (number | null)[][];
}

function generate(rows: number[], seedNulls: boolean[], batches: number, unit: number): Generated {
  const n = rows.length;
  const [tu, mul, div] = UNITS[unit]!;
  const isNull = (i: number) => seedNulls[i % seedNulls.length]!;
  const ts = BigInt64Array.from(rows, (r, i) => BigInt(Math.trunc(r * 1e3)) * (div === 1n ? 1n : div / 7n + 1n) + BigInt(i));
  const dbl = Float64Array.from(rows, (r, i) => (i % 5 === 3 ? Number.NaN : r * 1.5));
  const f32 = Float32Array.from(rows, (r) => r / 3);
  const i32 = Int32Array.from(rows, (r) => Math.trunc(r) | 0);
  const i64 = BigInt64Array.from(rows, (r, i) => BigInt(Math.trunc(r)) * 1_000_000_007n + (i % 2 ? 2n ** 60n : 0n));
  const day = Int32Array.from(rows, (r) => Math.trunc(r / 1000));
  const fields = [
    new arrow.Field("Stamp", new arrow.Timestamp(tu, "UTC"), false),
    new arrow.Field("dbl", new arrow.Float64(), true),
    new arrow.Field("f32", new arrow.Float32(), false),
    new arrow.Field("i32", new arrow.Int32(), false),
    new arrow.Field("i64", new arrow.Int64(), true),
    new arrow.Field("day", new arrow.DateDay(), false),
  ];
  const schema = new arrow.Schema(fields);
  const per = Math.ceil(n / batches);
  const recordBatches: arrow.RecordBatch[] = [];
  for (let lo = 0; lo < n; lo += per) {
    const hi = Math.min(n, lo + per);
    const len = hi - lo;
    const valid = new Uint8Array(Math.ceil(len / 8));
    let nulls = 0;
    for (let i = 0; i < len; i++) {
      if (isNull(lo + i)) nulls++;
      else valid[i >> 3]! |= 1 << (i & 7);
    }
    const nullable = nulls ? { nullCount: nulls, nullBitmap: valid } : { nullCount: 0 };
    const children = [
      arrow.makeData({ type: fields[0]!.type as arrow.Timestamp, length: len, nullCount: 0, data: ts.slice(lo, hi) }),
      arrow.makeData({ type: new arrow.Float64(), length: len, data: dbl.slice(lo, hi), ...nullable }),
      arrow.makeData({ type: new arrow.Float32(), length: len, nullCount: 0, data: f32.slice(lo, hi) }),
      arrow.makeData({ type: new arrow.Int32(), length: len, nullCount: 0, data: i32.slice(lo, hi) }),
      arrow.makeData({ type: new arrow.Int64(), length: len, data: i64.slice(lo, hi), ...nullable }),
      arrow.makeData({ type: new arrow.DateDay(), length: len, nullCount: 0, data: day.slice(lo, hi) }),
    ];
    recordBatches.push(new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(fields), length: len, nullCount: 0, children })));
  }
  const expected = [
    Array.from(ts, (v) => floorMs(v, mul, div)),
    Array.from(dbl, (v, i) => (isNull(i) ? null : v)),
    Array.from(f32),
    Array.from(i32),
    Array.from(i64, (v, i) => (isNull(i) ? null : Number(v))),
    Array.from(day, (d) => d * 86_400_000),
  ];
  return { table: new arrow.Table(schema, recordBatches), expected };
}

describe("Parquet sources read without Arrow JS", () => {
  test("property: every cell is the value written (times floored to ms, nulls as NaN and marked), over several row groups (seeded)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: -2e9, max: 2e9, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        async (rows, nulls, batches, unit) => {
          const g = generate(rows, nulls, batches, unit);
          const cols = await readPlainColumns(encodeArrowTable(g.table));
          expect(cols?.map((c) => [c.name, c.kind])).toEqual([
            ["Stamp", "time"],
            ["dbl", "number"],
            ["f32", "number"],
            ["i32", "number"],
            ["i64", "number"],
            ["day", "time"],
          ]);
          for (const [k, col] of cols!.entries()) {
            const got = Array.from(col.values, (v, i) => (col.nulls?.[i] ? null : v));
            expect(got).toEqual(g.expected[k]!);
          }
          // INT64 cells also exactly, as bigints (a reader parsing an epoch in ns needs every digit).
          const i64 = cols![4]!;
          expect(Array.from(i64.int64!, (v, i) => (i64.nulls?.[i] ? null : v))).toEqual(
            Array.from(g.table.getChild("i64")!.toArray() as BigInt64Array, (v, i) => (nulls[i % nulls.length] ? null : v)),
          );
        },
      ),
      { seed: 1818, numRuns: 60 },
    );
  });

  test("a file with a string column, no rows or no Parquet at all is left to the Arrow path", async () => {
    const strings = arrow.tableFromArrays({ close: Float64Array.of(1, 2), symbol: ["A", "B"] });
    expect(await readPlainColumns(encodeArrowTable(strings))).toBeUndefined();
    expect(await readPlainColumns(new TextEncoder().encode("timestamp,close\n1,2\n"))).toBeUndefined();
  });
});

describe("INT64 timestamps written without a BigInt per value", () => {
  test("property: int64Millis is BigInt(v) for every safe integer, negative or past 2^32 (seeded)", () => {
    fc.assert(
      fc.property(fc.array(fc.maxSafeInteger().map((v) => v * (v % 2 ? -1 : 1))), (vals) => {
        const ms = Float64Array.from(vals);
        expect(Array.from(int64Millis(ms))).toEqual(vals.map((v) => BigInt(v)));
      }),
      { seed: 1818, numRuns: 200 },
    );
    expect(() => int64Millis(Float64Array.of(1.5))).toThrow(RangeError); // a fraction is refused, as BigInt does
  });
});
