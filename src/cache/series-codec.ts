// How a stored series sits in the cache: one JSON header line (format, the version it was read at, where, size, bar
// count, whether corporate actions travel with it), zero padding to 8 bytes, then the columns as little-endian doubles.
import { ACTION_COLUMNS, allocActions, allocBars, BAR_COLUMNS, barCount } from "../model/bars.ts";
import type { StoredSeries } from "../store/types.ts";

const FORMAT = "dqctl.cached-series/v1";

interface Header {
  format: typeof FORMAT;
  sha256: string;
  path: string;
  size: number;
  n: number;
  actions: boolean;
}

/** Encode a series read at version `stored.sha256`. */
export function encodeSeries(stored: StoredSeries): Uint8Array {
  const n = barCount(stored.bars);
  const header: Header = { format: FORMAT, sha256: stored.sha256, path: stored.path, size: stored.size, n, actions: stored.bars.actions !== undefined };
  const head = new TextEncoder().encode(`${JSON.stringify(header)}\n`);
  const start = Math.ceil(head.length / 8) * 8;
  const cols = [...BAR_COLUMNS.map((c) => stored.bars[c]), ...(stored.bars.actions ? ACTION_COLUMNS.map((c) => stored.bars.actions![c]) : [])];
  const out = new Uint8Array(start + cols.length * n * 8);
  out.set(head);
  const view = new DataView(out.buffer);
  let at = start;
  for (const col of cols) for (let i = 0; i < n; i++, at += 8) view.setFloat64(at, col[i]!, true);
  return out;
}

/** The version an encoded series was read at, without decoding its bars; undefined when it is not one. */
export function encodedVersion(bytes: Uint8Array): string | undefined {
  return header(bytes)?.h.sha256;
}

/** Decode; undefined when the bytes are not a whole encoded series (a truncated or foreign value is a miss). */
export function decodeSeries(bytes: Uint8Array): StoredSeries | undefined {
  const parsed = header(bytes);
  if (!parsed) return undefined;
  const { h, start } = parsed;
  const ncols = BAR_COLUMNS.length + (h.actions ? ACTION_COLUMNS.length : 0);
  if (bytes.length !== start + ncols * h.n * 8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bars = allocBars(h.n);
  let at = start;
  const fill = (col: Float64Array) => {
    for (let i = 0; i < h.n; i++, at += 8) col[i] = view.getFloat64(at, true);
  };
  for (const c of BAR_COLUMNS) fill(bars[c]);
  if (h.actions) {
    bars.actions = allocActions(h.n);
    for (const c of ACTION_COLUMNS) fill(bars.actions[c]);
  }
  return { path: h.path, bars, sha256: h.sha256, size: h.size };
}

function header(bytes: Uint8Array): { h: Header; start: number } | undefined {
  const nl = bytes.indexOf(10);
  if (nl < 0 || nl > 4096) return undefined;
  try {
    const h = JSON.parse(new TextDecoder().decode(bytes.subarray(0, nl))) as Header;
    if (h.format !== FORMAT || typeof h.sha256 !== "string" || !Number.isInteger(h.n) || h.n < 0) return undefined;
    return { h, start: Math.ceil((nl + 1) / 8) * 8 };
  } catch {
    return undefined;
  }
}
