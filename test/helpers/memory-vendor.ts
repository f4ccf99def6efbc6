import { type Bars, barCount, takeRows } from "../../src/model/bars.ts";
import type { FetchRequest, FetchResult, Vendor } from "../../src/vendors/types.ts";

/** An in-process vendor over a fixed series; it records every request. `depthMs` caps how far back it serves. */
export function memoryVendor(data: Bars, opts: { depthFromMs?: number } = {}): Vendor & { requests: FetchRequest[] } {
  const requests: FetchRequest[] = [];
  return {
    name: "memory",
    requests,
    async fetch(req: FetchRequest): Promise<FetchResult> {
      requests.push(req);
      const lo = Math.max(req.fromMs ?? -Infinity, opts.depthFromMs ?? -Infinity);
      const hi = req.toMs ?? Infinity;
      const idx: number[] = [];
      for (let i = 0; i < barCount(data); i++) if (data.timestamp[i]! >= lo && data.timestamp[i]! <= hi) idx.push(i);
      const capped = opts.depthFromMs !== undefined && (req.fromMs ?? -Infinity) < opts.depthFromMs;
      return { bars: takeRows(data, idx), capped, latencyMs: 0 };
    },
  };
}
