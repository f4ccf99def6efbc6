// One bar per message on a JetStream subject (`dqctl ingest --vendor stream`): the JSON the producer sends, checked
// field by field. A message that fails is dead-lettered with the reason, never committed.
import { type Interval, isInterval } from "../model/interval.ts";
import { parseSymbol, type SymbolId } from "../model/symbol.ts";
import { MAX_TIMESTAMP_MS, MIN_TIMESTAMP_MS, TIME_WINDOW_TEXT } from "../model/time-window.ts";

/** A bar as published: times in epoch milliseconds, UTC. */
export interface StreamBar {
  sym: SymbolId;
  interval: Interval;
  timestamp: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** When the producer sent it (the start of the end-to-end latency). */
  producedAt: number;
}

const PRICES = ["open", "high", "low", "close"] as const;

/** The JSON Schema of one message (also in `dqctl schema`, under $defs.streamBar). */
export const STREAM_BAR_SCHEMA = {
  type: "object",
  description:
    "streaming ingest (dqctl ingest --vendor stream): one bar per message on the JetStream subject, JSON; times in epoch milliseconds UTC; a message that does not match is sent to the dead-letter subject with the reason",
  required: ["symbol", "interval", "timestamp", "open", "high", "low", "close", "volume", "producedAt"],
  properties: {
    symbol: { type: "string", description: "EXCHANGE:TICKER, e.g. BINANCE:BTCUSDT" },
    interval: { enum: ["1m", "5m", "15m", "30m", "1h", "4h", "1d"] },
    timestamp: { type: "integer", description: "the bar's open, epoch ms UTC (a daily bar: 00:00 UTC of its session date)" },
    open: { type: "number" },
    high: { type: "number" },
    low: { type: "number" },
    close: { type: "number" },
    volume: { type: "number", minimum: 0 },
    producedAt: { type: "integer", description: "when the producer published it, epoch ms UTC: end-to-end latency runs from here to the commit" },
  },
} as const;

/** The bar a message carries, or why it is refused (one line naming the field and the value). */
export function parseBarMessage(bytes: Uint8Array): StreamBar | { reason: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (err) {
    return { reason: `not JSON: ${(err as Error).message}` };
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return { reason: "not a JSON object" };
  const m = doc as Record<string, unknown>;
  if (typeof m.symbol !== "string") return { reason: "symbol: missing or not a string" };
  let sym: SymbolId;
  try {
    sym = parseSymbol(m.symbol);
  } catch {
    return { reason: `symbol: "${m.symbol.slice(0, 40)}" is not EXCHANGE:TICKER` };
  }
  if (typeof m.interval !== "string" || !isInterval(m.interval))
    return { reason: `interval: ${show(m.interval)} is not one of ${STREAM_BAR_SCHEMA.properties.interval.enum.join(", ")}` };
  for (const k of ["timestamp", "producedAt"] as const) {
    const v = m[k];
    if (typeof v !== "number" || !Number.isInteger(v)) return { reason: `${k}: ${show(v)} is not epoch milliseconds (an integer)` };
    if (v < MIN_TIMESTAMP_MS || v >= MAX_TIMESTAMP_MS) return { reason: `${k}: ${v} is outside ${TIME_WINDOW_TEXT} (epoch milliseconds expected)` };
    // Before March 1973 in milliseconds, but a time of our era in seconds: a producer sending the wrong unit.
    if (Math.abs(v) < 1e11) return { reason: `${k}: ${v} looks like epoch seconds; send epoch milliseconds (× 1000)` };
  }
  for (const k of [...PRICES, "volume"] as const) {
    const v = m[k];
    if (typeof v !== "number" || !Number.isFinite(v)) return { reason: `${k}: ${show(v)} is not a finite number` };
  }
  if ((m.volume as number) < 0) return { reason: `volume: ${m.volume} is negative` };
  return {
    sym,
    interval: m.interval,
    timestamp: m.timestamp as number,
    open: m.open as number,
    high: m.high as number,
    low: m.low as number,
    close: m.close as number,
    volume: m.volume as number,
    producedAt: m.producedAt as number,
  };
}

function show(v: unknown): string {
  if (v === undefined) return "missing";
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
