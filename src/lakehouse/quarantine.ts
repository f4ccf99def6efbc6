// The lakehouse's quarantine folder read back as evidence (`store copy`): each `<stem>.<stamp>.parquet` with the
// `<stem>.<stamp>.reason.json` beside it, which names the series (symbol, interval) and the time it was quarantined.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isInterval } from "../model/interval.ts";
import type { QuarantineEvidence } from "../store/types.ts";
import { decodeBars, initParquet } from "./parquet.ts";

/** Every evidence file in `dir` (absolute names, as the registry lists them), oldest name first. */
export async function readQuarantineDir(dir: string, onBad: (name: string, why: string) => void): Promise<QuarantineEvidence[]> {
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir)
    .filter((f) => f.endsWith(".parquet") && !f.startsWith("."))
    .sort();
  if (names.length) await initParquet();
  const out: QuarantineEvidence[] = [];
  for (const f of names) {
    const name = join(dir, f);
    const reasonFile = join(dir, `${f.slice(0, -".parquet".length)}.reason.json`);
    let reason: Record<string, unknown>;
    try {
      reason = JSON.parse(readFileSync(reasonFile, "utf8")) as Record<string, unknown>;
    } catch (err) {
      onBad(name, `its reason file ${reasonFile} cannot be read (${(err as Error).message})`);
      continue;
    }
    const { symbol, interval, quarantinedAt } = reason;
    if (typeof symbol !== "string" || typeof interval !== "string" || !isInterval(interval) || typeof quarantinedAt !== "string") {
      onBad(name, `its reason file ${reasonFile} does not name the series (symbol, interval, quarantinedAt)`);
      continue;
    }
    try {
      const bars = decodeBars(readFileSync(name), `quarantine ${name}`);
      out.push({ name, symbol, interval, stamp: quarantinedAt, reason, bars });
    } catch (err) {
      onBad(name, (err as Error).message);
    }
  }
  return out;
}
