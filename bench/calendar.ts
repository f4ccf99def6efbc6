// Gap detection over one year of 1m crypto bars (525,600) and an end-to-end audit of 20 such symbols.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { calendarFor, calendarNames, emptyReference } from "../src/calendar/index.ts";
import { gap } from "../src/checks/gap.ts";
import { checkOptions } from "../src/checks/types.ts";
import { Catalog } from "../src/lakehouse/catalog.ts";
import { encodeBars, initParquet } from "../src/lakehouse/parquet.ts";
import { sha256 } from "../src/lakehouse/store.ts";
import { allocBars } from "../src/model/bars.ts";
import { run } from "./run.ts";

const MIN = 60_000;
const START = Date.UTC(2025, 10, 20);
const N = 525_600;

function minuteBars(holes: number) {
  const b = allocBars(N - holes);
  let k = 0;
  for (let i = 0; i < N; i++) {
    if (holes && i % Math.floor(N / holes) === 7 && k < N - holes && i - k < holes) continue;
    if (k >= b.timestamp.length) break;
    const p = 100 + Math.sin(i / 500);
    b.timestamp[k] = START + i * MIN;
    b.open[k] = b.close[k] = p;
    b.high[k] = p + 0.01;
    b.low[k] = p - 0.01;
    b.volume[k] = 10 + (i % 13);
    k++;
  }
  return b;
}

/** Build 35 years (1990–2024) of sessions for every calendar, each from scratch (a fresh reference object defeats the cache). */
export function benchCalendarBuild(): void {
  const from = Date.UTC(1990, 0, 1);
  const to = Date.UTC(2024, 11, 31);
  const parts: string[] = [];
  let total = 0;
  for (const name of calendarNames()) {
    const t0 = performance.now();
    const n = calendarFor(name, emptyReference()).sessionsBetween(from, to).length;
    const ms = performance.now() - t0;
    total += ms;
    parts.push(`${name} ${ms.toFixed(1)} ms (${n})`);
  }
  console.log(`calendar build, 35 years of sessions (1990–2024; sessions in brackets): ${parts.join(", ")}; all ${total.toFixed(0)} ms`);
}

export async function benchCalendar(): Promise<void> {
  benchCalendarBuild();
  const cal = calendarFor("crypto");
  const opts = checkOptions({}, "gap");
  for (const holes of [0, 500]) {
    const bars = minuteBars(holes);
    const input = { symbol: "BINANCE:BTCUSDT", interval: "1m" as const, profile: "crypto" as const, raw: bars, bars, calendar: cal, nowMs: START + N * MIN };
    const times: number[] = [];
    let found = 0;
    for (let r = 0; r < 11; r++) {
      const t0 = performance.now();
      found = gap.run(input, opts)[0]?.metrics?.missingBars ?? 0;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(
      `gap over ${bars.timestamp.length.toLocaleString("en")} 1m crypto bars (${found} missing): best ${times[0]!.toFixed(1)} ms, median of 11 ${times[5]!.toFixed(1)} ms`,
    );
  }
  await initParquet();
  const dir = join(tmpdir(), "dqctl-bench-1m");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const cat = new Catalog(join(dir, "catalog.json"));
  const bars = minuteBars(0);
  const bytes = encodeBars(bars);
  for (let s = 0; s < 20; s++) {
    const name = `BINANCE_M${s}USDT_1m.parquet`;
    writeFileSync(join(dir, name), bytes);
    cat.set({
      symbol: `BINANCE:M${s}USDT`,
      interval: "1m",
      profile: "crypto",
      path: name,
      rows: N,
      start: new Date(START).toISOString(),
      end: new Date(START + (N - 1) * MIN).toISOString(),
      genesis: null,
      sha256: sha256(bytes),
      source: "bench",
      ingestedAt: new Date().toISOString(),
      qualityScore: null,
    });
  }
  cat.save();
  const now = new Date(START + N * MIN + 30_000).toISOString();
  const r = run(["audit", "--json", "--quiet", "--lakehouse", dir, "--now", now]);
  console.log(
    `audit --json 20 symbols × 525,600 1m bars (10.5 M rows, every check, registry written): ${r.ms.toFixed(0)} ms wall, ${r.rssMb.toFixed(0)} MB peak RSS, exit ${r.code}`,
  );
  rmSync(dir, { recursive: true, force: true });
}

if (import.meta.main) await benchCalendar();
