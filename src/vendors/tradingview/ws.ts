/**
 * TradingView chart WebSocket history collector.
 *
 * One collection: connect, subscribe (`create_series`), merge every `timescale_update`/`du` by timestamp.
 * With a `range`, the series is asked for as `r,<from>:<to>` (unix seconds; the form public TradingView clients
 * send as create_series' range argument) and the first `series_completed` ends it: only the window is downloaded.
 * Without one, older bars are asked for (`request_more_data`) after each `series_completed` until the window
 * start is covered. End of history: a completed chunk that added no bars, or `idlePackets` packets in a row
 * without new bars (an end the server never confirmed: marked `unconfirmed_end`). A `series_completed` saying
 * `data_completed: "limit"` (the account's history limit) marks the answer `history_cap`.
 * A dropped or silent socket is reopened with backoff and resubscribed for everything held so far (merging by
 * timestamp keeps bars unique). When the total timeout or the reconnect budget runs out, the bars gathered are
 * returned marked `partial`; only a collection with no bars at all fails.
 */
import type { Logger } from "../../context.ts";
import { silentLogger } from "../../context.ts";
import { VendorError } from "../../errors.ts";
import { redactClip } from "../../redact.ts";
import { sleep } from "../limits.ts";
import type { Incomplete } from "../types.ts";
import { decodeFrames, encodeFrame, encodeMessage, extractBars, isHeartbeat, parseMessage, sessionId, subscribeMessages, type TvBar } from "./protocol.ts";

/** Knobs of one history collection. */
export interface TvHistoryOptions {
  url: string;
  symbol: string;
  resolution: string;
  /** Stop asking for older bars once a bar at or before this time (ms) is held. */
  fromMs?: number;
  /** Ask for just this window (unix seconds, inclusive) with the range form `r,<from>:<to>`. */
  range?: { fromSec: number; toSec: number };
  authToken?: string;
  /** Bars asked for by create_series (default 5000) and by each request_more_data (default 5000). */
  initialBars?: number;
  moreBars?: number;
  totalTimeoutMs: number;
  /** A socket with no packet for this long is treated as dropped (default 20 s). */
  silenceMs?: number;
  /** Packets in a row without new bars that mean end of history (default 6). */
  idlePackets?: number;
  /** Reconnects allowed after a drop (default 4). */
  maxReconnects?: number;
  backoffBaseMs?: number;
  what: string;
  vendorSymbol?: string;
  log?: Logger;
  signal?: AbortSignal;
}

/** What a collection gathered. */
export interface TvHistory {
  bars: TvBar[];
  /** Why the bars may not reach as far back as asked (absent: the window or the history start was reached). */
  incomplete?: Incomplete;
  /** Exchange time zone from `symbol_resolved`, when sent. */
  timezone?: string;
  reconnects: number;
  heartbeatsEchoed: number;
}

type Outcome = { kind: "done"; confirmed: boolean } | { kind: "dropped"; why: string } | { kind: "fatal"; error: VendorError } | { kind: "timeout" };

const ORIGIN = { Origin: "https://www.tradingview.com" };

function openSocket(url: string): WebSocket {
  try {
    // Bun and Node accept headers here; TradingView wants its own Origin. Others throw, and get a plain socket.
    return new (WebSocket as unknown as new (u: string, o: unknown) => WebSocket)(url, { headers: ORIGIN });
  } catch {
    return new WebSocket(url);
  }
}

/** Collect history over the chart WebSocket (see the module comment for the end, drop and timeout rules). */
export async function collectHistory(o: TvHistoryOptions): Promise<TvHistory> {
  const log = o.log ?? silentLogger;
  const rows = new Map<number, TvBar>();
  const initial = o.initialBars ?? 5000;
  const more = o.moreBars ?? 5000;
  const silenceMs = o.silenceMs ?? 20_000;
  const idleLimit = o.idlePackets ?? 6;
  const maxReconnects = o.maxReconnects ?? 4;
  const fail = (m: string, advice?: string) => new VendorError(`tradingview ${o.what}: ${m}`, "tradingview", o.vendorSymbol, undefined, reconnects + 1, advice);
  let timezone: string | undefined;
  let limited = false;
  let reconnects = 0;
  let heartbeatsEchoed = 0;
  const deadline = AbortSignal.timeout(o.totalTimeoutMs);
  const stop = o.signal ? AbortSignal.any([deadline, o.signal]) : deadline;

  const earliest = () => {
    let min = Number.POSITIVE_INFINITY;
    for (const t of rows.keys()) if (t < min) min = t;
    return min;
  };

  const connection = () =>
    new Promise<Outcome>((resolve) => {
      const ws = openSocket(o.url);
      const cs = sessionId();
      let settled = false;
      let idle = 0;
      let heldAtRequest = rows.size;
      let silence: ReturnType<typeof setTimeout> | undefined;
      const finish = (out: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(silence);
        stop.removeEventListener("abort", onStop);
        try {
          ws.close();
        } catch {}
        resolve(out);
      };
      const onStop = () => finish({ kind: "timeout" });
      if (stop.aborted) return finish({ kind: "timeout" });
      stop.addEventListener("abort", onStop, { once: true });
      const armSilence = () => {
        clearTimeout(silence);
        silence = setTimeout(() => finish({ kind: "dropped", why: `silent for ${silenceMs} ms` }), silenceMs);
      };
      const send = (frame: string) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(frame);
      };
      const noProgress = () => {
        if (++idle >= idleLimit) finish({ kind: "done", confirmed: false });
      };
      const onChunkComplete = (details: unknown) => {
        if ((details as { data_completed?: unknown } | undefined)?.data_completed === "limit") limited = true;
        const added = rows.size - heldAtRequest;
        // A range answer is the whole window; a history limit ends paging too (older bars will not come).
        if (o.range || limited || added === 0 || (o.fromMs !== undefined && earliest() <= o.fromMs)) return finish({ kind: "done", confirmed: true });
        heldAtRequest = rows.size;
        idle = 0;
        send(encodeMessage("request_more_data", [cs, "sds_1", more]));
      };

      ws.addEventListener("open", () => {
        armSilence();
        // Resubscribing after a drop asks for everything already held plus a fresh chunk, so nothing is lost.
        const range = o.range ? `r,${o.range.fromSec}:${o.range.toSec}` : "";
        for (const f of subscribeMessages(cs, o.symbol, o.resolution, initial + rows.size, o.authToken ?? "unauthorized_user_token", range)) send(f);
      });
      ws.addEventListener("message", (ev: MessageEvent) => {
        if (settled) return;
        armSilence();
        const data = typeof ev.data === "string" ? ev.data : new TextDecoder().decode(ev.data as ArrayBuffer);
        const frames = decodeFrames(data);
        if (!frames.length) return noProgress();
        for (const payload of frames) {
          if (settled) return;
          if (isHeartbeat(payload)) {
            send(encodeFrame(payload));
            heartbeatsEchoed++;
            noProgress();
            continue;
          }
          const msg = parseMessage(payload);
          if (!msg) continue; // the session-info packet
          switch (msg.m) {
            case "symbol_resolved": {
              const tz = (msg.p[2] as { timezone?: unknown } | undefined)?.timezone;
              if (typeof tz === "string") timezone = tz;
              break;
            }
            case "series_loading":
              break;
            case "timescale_update":
            case "du": {
              const before = rows.size;
              let changed = false;
              for (const b of extractBars(msg, "sds_1")) {
                const t = b[0] * 1000;
                const prev = rows.get(t);
                if (!prev || prev.some((x, i) => x !== b[i])) changed = true;
                rows.set(t, b);
              }
              if (rows.size > before || (changed && msg.m === "du")) idle = 0;
              else noProgress();
              break;
            }
            case "series_completed":
              onChunkComplete(msg.p[4]);
              break;
            case "symbol_error":
              return finish({
                kind: "fatal",
                error: fail(
                  `symbol_error: ${redactClip(JSON.stringify(msg.p.slice(1)), 160)}`,
                  "check the symbol id (EXCHANGE:TICKER as TradingView names it)",
                ),
              });
            case "series_error":
              return finish({
                kind: "fatal",
                error: fail(`series_error: ${redactClip(JSON.stringify(msg.p.slice(1)), 160)}`, "check the interval and the symbol's history"),
              });
            case "critical_error":
            case "protocol_error":
              return finish({ kind: "fatal", error: fail(`${msg.m}: ${redactClip(JSON.stringify(msg.p), 160)}`) });
            default:
              noProgress();
          }
        }
      });
      ws.addEventListener("error", () => finish({ kind: "dropped", why: "socket error" }));
      ws.addEventListener("close", (ev: CloseEvent) => finish({ kind: "dropped", why: `socket closed (code ${ev.code})` }));
    });

  const result = (incomplete: Incomplete | undefined): TvHistory => ({
    bars: [...rows.values()].sort((a, b) => a[0] - b[0]),
    ...(incomplete ? { incomplete } : {}),
    ...(timezone ? { timezone } : {}),
    reconnects,
    heartbeatsEchoed,
  });
  const done = (confirmed: boolean): TvHistory => {
    if (limited) return result({ reason: "history_cap", detail: "tradingview stopped at the account's history limit (data_completed: limit)" });
    // An idle end still proves the window when a bar at or before its start is held.
    const reached = o.fromMs !== undefined && earliest() <= o.fromMs;
    if (!confirmed && !reached)
      return result({ reason: "unconfirmed_end", detail: `history ended after ${idleLimit} packets without new bars, not by an empty chunk` });
    return result(undefined);
  };

  const gaveUp = (why: string): TvHistory => {
    if (!rows.size) throw fail(why, "raise vendors.tradingview.totalTimeoutMs or retry later");
    log.warn(`tradingview ${o.what}: ${why}; keeping ${rows.size} bars as partial`);
    return result({ reason: "partial", detail: `tradingview ${why}` });
  };
  const timeoutWhy = () => (rows.size ? `total timeout of ${o.totalTimeoutMs} ms` : `no bars before the total timeout of ${o.totalTimeoutMs} ms`);

  for (;;) {
    const out = await connection();
    if (out.kind === "done") return done(out.confirmed);
    if (out.kind === "fatal") throw out.error;
    if (out.kind === "timeout") {
      if (o.signal?.aborted) throw o.signal.reason;
      return gaveUp(timeoutWhy());
    }
    if (reconnects >= maxReconnects) return gaveUp(`${out.why}; gave up after ${reconnects + 1} connections`);
    reconnects++;
    const delay = Math.round((o.backoffBaseMs ?? 500) * 2 ** (reconnects - 1) * (0.5 + Math.random() * 0.5));
    log.debug(`tradingview ${o.what}: ${out.why}; reconnect ${reconnects}/${maxReconnects} in ${delay} ms (${rows.size} bars held)`);
    try {
      await sleep(delay, stop);
    } catch {
      if (o.signal?.aborted) throw o.signal.reason;
      return gaveUp(timeoutWhy());
    }
  }
}
