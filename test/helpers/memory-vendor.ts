import { type Bars, barCount, takeRows } from "../../src/model/bars.ts";
import type { FetchRequest, FetchResult, Incomplete, Vendor } from "../../src/vendors/types.ts";

/**
 * An in-process vendor over a fixed series, on the real Vendor interface; it records every request and every bar
 * it hands out. `depthFromMs` caps how far back it serves (a request reaching before it is marked `history_cap`);
 * `cut` marks every answer incomplete with that reason (a timeout, a page limit) without changing its bars.
 */
export function memoryVendor(
  data: Bars,
  opts: { depthFromMs?: number; cut?: Incomplete } = {},
): Vendor & { requests: FetchRequest[]; barsServed: number; data: Bars } {
  const v = {
    name: "memory",
    requests: [] as FetchRequest[],
    barsServed: 0,
    data,
    async fetch(req: FetchRequest): Promise<FetchResult> {
      v.requests.push(req);
      const lo = Math.max(req.fromMs ?? -Infinity, opts.depthFromMs ?? -Infinity);
      const hi = req.toMs ?? Infinity;
      const idx: number[] = [];
      for (let i = 0; i < barCount(v.data); i++) if (v.data.timestamp[i]! >= lo && v.data.timestamp[i]! <= hi) idx.push(i);
      v.barsServed += idx.length;
      const capped = opts.depthFromMs !== undefined && (req.fromMs ?? -Infinity) < opts.depthFromMs;
      const incomplete: Incomplete | undefined = capped ? { reason: "history_cap", detail: "memory vendor depth limit" } : opts.cut;
      return { bars: takeRows(v.data, idx), barsReceived: idx.length, ...(incomplete ? { incomplete } : {}), latencyMs: 0 };
    },
  };
  return v;
}
