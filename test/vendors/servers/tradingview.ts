/**
 * TradingView chart WebSocket stand-in on 127.0.0.1: `~m~<len>~m~<json>` framing, a session-info packet,
 * heartbeats the client must echo, create_series → newest `count` bars, or with the range argument
 * `r,<from>:<to>` (unix seconds, both inclusive) exactly the bars inside it; request_more_data → the next older
 * chunk, series_completed after each chunk. `historyLimit` plays an account's bar limit: only the newest N bars
 * are served, and a chunk that runs into the limit completes with `{ data_completed: "limit" }`. End of history: an empty chunk, or (mode "heartbeats") silence
 * apart from heartbeats. Faults: drop the socket mid-history, or go silent.
 */
import type { ServerWebSocket } from "bun";
import { decodeFrames, encodeFrame, encodeMessage, isHeartbeat, parseMessage } from "../../../src/vendors/tradingview/protocol.ts";
import { fixture } from "./http.ts";

/** Faults the WebSocket server injects. */
export type WsFault =
  /** Close the socket right after the first chunk's bars (before series_completed), on the first `connections`. */
  | { kind: "drop"; connections: number }
  /** After the first chunk's bars, send nothing at all (no completion, no heartbeats). */
  | { kind: "silent" };

/** A running WebSocket server. */
export interface TvServer {
  url: string;
  fault: WsFault | undefined;
  endOfHistory: "empty-chunk" | "heartbeats";
  connections: number;
  heartbeatsSent: number;
  echoesReceived: number;
  /** Client messages by name, in arrival order (`create_series`, `request_more_data`, …). */
  received: { m: string; p: unknown[] }[];
  /** Bars sent in timescale updates since the last reset (what a client downloaded). */
  barsServed: number;
  /** Serve only the newest N bars of each recording (an account's history limit); undefined: all. */
  historyLimit: number | undefined;
  stop(): void;
}

interface Conn {
  id: number;
  /** Index of the oldest bar sent so far (the next older chunk ends here). */
  lo: number;
  count: number;
  bars: number[][];
  timer?: ReturnType<typeof setInterval>;
  silent: boolean;
}

/** Start a server serving the given TradingView fixtures (by symbol). */
export async function startTradingView(fixtureNames = ["tradingview_AAPL_1d.json", "tradingview_ES1_1d.json"], heartbeatMs = 25): Promise<TvServer> {
  const bySymbol = new Map<string, { bars: number[][]; resolved: unknown }>();
  for (const n of fixtureNames) {
    const f = await fixture(n);
    bySymbol.set(f.symbol, { bars: f.bars, resolved: f.symbolResolved });
  }
  let hb = 0;
  const state: TvServer = {
    url: "",
    fault: undefined,
    endOfHistory: "empty-chunk",
    connections: 0,
    heartbeatsSent: 0,
    echoesReceived: 0,
    received: [],
    barsServed: 0,
    historyLimit: undefined,
    stop: () => server.stop(true),
  };

  /** Send bars [start, end) of the recording, clamped to the history limit. */
  const sendRange = (ws: ServerWebSocket<Conn>, cs: string, from: number, to: number) => {
    const c = ws.data;
    const floor = state.historyLimit === undefined ? 0 : Math.max(0, c.bars.length - state.historyLimit);
    const limited = state.historyLimit !== undefined && from < floor;
    const start = Math.max(from, floor);
    const end = Math.max(start, to);
    const chunk = c.bars.slice(start, end);
    c.lo = Math.min(c.lo, start);
    state.barsServed += chunk.length;
    if (!chunk.length && state.endOfHistory === "heartbeats") return;
    const update = encodeMessage("timescale_update", [
      cs,
      { sds_1: { node: "svr", s: chunk.map((v, i) => ({ i: start + i, v })), ns: { d: "", indexes: [] }, t: "s1", lbs: {} } },
      { index: c.bars.length - 1 },
    ]);
    const dropNow = state.fault?.kind === "drop" && c.id <= state.fault.connections && chunk.length > 0;
    if (dropNow) {
      ws.send(update);
      ws.close(1011, "injected drop");
      return;
    }
    if (state.fault?.kind === "silent" && chunk.length > 0) {
      ws.send(update);
      c.silent = true;
      clearInterval(c.timer);
      return;
    }
    // Several frames in one WebSocket message, as the real server batches them.
    const done = limited ? { data_completed: "limit" } : {};
    ws.send(encodeMessage("series_loading", [cs, "sds_1", "s1"]) + update + encodeMessage("series_completed", [cs, "sds_1", "s1", "streaming", done]));
  };
  // Newest first, like TradingView: the chunk is the `n` bars older than what this session already got.
  const sendChunk = (ws: ServerWebSocket<Conn>, cs: string, n: number) => sendRange(ws, cs, ws.data.lo - n, ws.data.lo);

  const server = Bun.serve<Conn>({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req, srv) {
      state.connections++;
      if (srv.upgrade(req, { data: { id: state.connections, lo: 0, count: 0, bars: [], silent: false } })) return;
      return new Response("expected a websocket", { status: 400 });
    },
    websocket: {
      open(ws) {
        ws.send(
          encodeFrame({ session_id: `<0.${ws.data.id}>_test`, timestamp: 1705000000, release: "registry.test", studies_metadata_hash: "x", protocol: "json" }),
        );
        ws.data.timer = setInterval(() => {
          if (ws.data.silent) return;
          ws.send(encodeFrame(`~h~${++hb}`));
          state.heartbeatsSent++;
        }, heartbeatMs);
      },
      message(ws, raw) {
        const c = ws.data;
        for (const payload of decodeFrames(String(raw))) {
          if (isHeartbeat(payload)) {
            state.echoesReceived++;
            continue;
          }
          const msg = parseMessage(payload);
          if (!msg) continue;
          state.received.push(msg);
          const cs = String(msg.p[0] ?? "");
          if (c.silent) continue;
          if (msg.m === "resolve_symbol") {
            const spec = JSON.parse(String(msg.p[2]).slice(1)) as { symbol: string };
            const hit = bySymbol.get(spec.symbol);
            if (!hit) {
              ws.send(encodeMessage("symbol_error", [cs, "sds_sym_1", "invalid symbol"]));
              continue;
            }
            c.bars = hit.bars;
            c.lo = hit.bars.length;
            ws.send(encodeMessage("symbol_resolved", [cs, "sds_sym_1", hit.resolved]));
          } else if (msg.m === "create_series") {
            if (!c.bars.length) continue;
            // The recordings are daily: any other resolution is refused as TradingView refuses unsupported ones.
            if (msg.p[4] !== "1D") {
              ws.send(encodeMessage("series_error", [cs, "sds_1", "s1", "resolution not supported"]));
              continue;
            }
            c.count = Number(msg.p[5]);
            const range = /^r,(-?\d+):(-?\d+)$/.exec(String(msg.p[6] ?? ""));
            if (range) {
              // The range form: exactly the bars whose open time lies in [from, to] (seconds).
              const from = Number(range[1]);
              const to = Number(range[2]);
              const lo = c.bars.findIndex((b) => b[0]! >= from);
              const start = lo < 0 ? c.bars.length : lo;
              let end = start;
              while (end < c.bars.length && c.bars[end]![0]! <= to) end++;
              c.lo = start;
              sendRange(ws, cs, start, end);
            } else sendChunk(ws, cs, c.count);
          } else if (msg.m === "request_more_data") {
            sendChunk(ws, cs, Number(msg.p[2]));
          }
        }
      },
      close(ws) {
        clearInterval(ws.data.timer);
      },
    },
  });
  state.url = `ws://127.0.0.1:${server.port}/socket.io/websocket?type=chart`;
  return state;
}
