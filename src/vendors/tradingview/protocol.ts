/**
 * TradingView chart WebSocket framing: each packet is `~m~<len>~m~<payload>`, several may share one
 * WebSocket message; `~h~N` payloads are heartbeats the client must echo; others are JSON `{m, p}`.
 */
import type { Interval } from "../../model/interval.ts";

const HEADER = /~m~(\d+)~m~/y;
const ANY_HEADER = /~m~\d+~m~/g;

/** Chart resolutions TradingView names for dqctl intervals. */
export const TV_RESOLUTION: Record<Interval, string> = { "1m": "1", "5m": "5", "15m": "15", "30m": "30", "1h": "60", "4h": "240", "1d": "1D" };

/** Frame one payload (objects are JSON-encoded). */
export function encodeFrame(payload: string | object): string {
  const s = typeof payload === "string" ? payload : JSON.stringify(payload);
  return `~m~${s.length}~m~${s}`;
}

/** Frame a `{m, p}` message. */
export function encodeMessage(m: string, p: unknown[]): string {
  return encodeFrame({ m, p });
}

/**
 * Split one WebSocket message into payloads. The declared length is trusted when the next header (or the end)
 * follows it; otherwise (length counted in other units, e.g. bytes of non-ASCII text) the next header wins.
 */
export function decodeFrames(data: string): string[] {
  const out: string[] = [];
  let pos = 0;
  while (pos < data.length) {
    HEADER.lastIndex = pos;
    const h = HEADER.exec(data);
    if (!h) break; // trailing garbage: nothing framed left
    const start = HEADER.lastIndex;
    let end = start + Number(h[1]);
    if (end !== data.length && !data.startsWith("~m~", end)) {
      ANY_HEADER.lastIndex = start;
      const next = ANY_HEADER.exec(data);
      end = next ? next.index : data.length;
    }
    out.push(data.slice(start, Math.min(end, data.length)));
    pos = end;
  }
  return out;
}

/** True for a heartbeat payload `~h~N`. */
export function isHeartbeat(payload: string): boolean {
  return /^~h~\d+$/.test(payload);
}

/** A decoded server message. */
export interface TvMessage {
  m: string;
  p: unknown[];
}

/** Parse a payload into `{m, p}`; undefined for the session-info packet, empty or non-JSON payloads. */
export function parseMessage(payload: string): TvMessage | undefined {
  if (!payload.startsWith("{")) return undefined;
  try {
    const j = JSON.parse(payload) as { m?: unknown; p?: unknown };
    if (typeof j.m !== "string") return undefined;
    return { m: j.m, p: Array.isArray(j.p) ? j.p : [] };
  } catch {
    return undefined;
  }
}

/** One bar as TradingView sends it: time in seconds (bar open), OHLC, volume (0 when absent). */
export type TvBar = [timeSec: number, open: number, high: number, low: number, close: number, volume: number];

/** Bars in a `timescale_update`/`du` message for `seriesId` (`{ "sds_1": { "s": [ { "i": 0, "v": [t,o,h,l,c,v] } ] } }`). */
export function extractBars(msg: TvMessage, seriesId: string): TvBar[] {
  const body = msg.p[1] as Record<string, { s?: unknown } | undefined> | undefined;
  const s = body?.[seriesId]?.s;
  if (!Array.isArray(s)) return [];
  const out: TvBar[] = [];
  for (const item of s) {
    const row = (item as { v?: unknown })?.v;
    if (!Array.isArray(row) || row.length < 5) continue;
    const [t, o, h, l, c, vol] = row as unknown[];
    if ([t, o, h, l, c].every((x) => typeof x === "number" && Number.isFinite(x))) {
      out.push([t as number, o as number, h as number, l as number, c as number, typeof vol === "number" && Number.isFinite(vol) ? vol : 0]);
    }
  }
  return out;
}

/** A fresh session id like TradingView's own (`cs_` + 12 random letters). */
export function sessionId(prefix = "cs"): string {
  const abc = "abcdefghijklmnopqrstuvwxyz";
  let s = `${prefix}_`;
  for (let i = 0; i < 12; i++) s += abc[Math.floor(Math.random() * abc.length)];
  return s;
}

/**
 * The client's opening messages for one series: auth, chart session, symbol, series of `count` bars. `range` is
 * create_series' last argument: "" (the newest `count` bars) or `r,<from>:<to>` in unix seconds (that window).
 */
export function subscribeMessages(cs: string, symbol: string, resolution: string, count: number, authToken: string, range = ""): string[] {
  return [
    encodeMessage("set_auth_token", [authToken]),
    encodeMessage("chart_create_session", [cs, ""]),
    encodeMessage("resolve_symbol", [cs, "sds_sym_1", `=${JSON.stringify({ symbol, adjustment: "splits", session: "regular" })}`]),
    encodeMessage("create_series", [cs, "sds_1", "s1", "sds_sym_1", resolution, count, range]),
  ];
}
