// The release calendar as cached in the store (a document beside the data, `macro_calendar`), with its fetch time:
// what `calendar --macro` reuses while fresh, and what staleness of FRED series reads (no network in an audit).
import * as v from "valibot";
import type { ReleaseSchedule } from "../checks/releases.ts";
import type { Config } from "../config/schema.ts";
import type { Store } from "../store/types.ts";

/** The document's name in the store. */
export const MACRO_DOC = "macro_calendar";
const FORMAT = "dqctl.macro-calendar/v1";

const Release = v.object({ releaseId: v.number(), name: v.string() });
const DocSchema = v.object({
  format: v.literal(FORMAT),
  source: v.literal("fred"),
  fetchedAt: v.string(),
  from: v.string(),
  to: v.string(),
  dates: v.array(v.object({ ...Release.entries, date: v.string() })),
  /** Series of interest → the release that publishes it. */
  series: v.record(v.string(), Release),
});

/** The cached calendar: every release date of the window [from, to], fetched at `fetchedAt`. Holds no credential. */
export type MacroDoc = v.InferOutput<typeof DocSchema>;

/** Build the document (the one shape written). */
export function macroDoc(fields: Omit<MacroDoc, "format" | "source">): MacroDoc {
  return { format: FORMAT, source: "fred", ...fields };
}

/** The cached calendar, or undefined when absent (no store yet), torn or of another format (then it is fetched again). */
export async function readMacroDoc(store: Store): Promise<MacroDoc | undefined> {
  if (!(await store.exists())) return undefined;
  const res = v.safeParse(DocSchema, await store.readDoc(MACRO_DOC));
  return res.success ? res.output : undefined;
}

const day = (date: string) => Date.parse(`${date}T00:00:00Z`);

/**
 * The release schedule of every series the cached calendar maps to a release (config `macro.releases` first), as
 * plain data for the run context; empty without a cached calendar.
 */
export function releaseSchedules(doc: MacroDoc | undefined, config: Config): Record<string, ReleaseSchedule> {
  if (!doc) return {};
  const byRelease = new Map<number, { name: string; dates: Set<number> }>();
  for (const d of doc.dates) {
    const r = byRelease.get(d.releaseId) ?? { name: d.name, dates: new Set<number>() };
    r.dates.add(day(d.date));
    byRelease.set(d.releaseId, r);
  }
  const mapping: Record<string, number> = Object.fromEntries(Object.entries(doc.series).map(([s, r]) => [s, r.releaseId]));
  Object.assign(mapping, config.macro?.releases);
  const out: Record<string, ReleaseSchedule> = {};
  for (const [symbol, releaseId] of Object.entries(mapping)) {
    const r = byRelease.get(releaseId);
    out[symbol] = {
      releaseId,
      name: r?.name ?? doc.series[symbol]?.name ?? `release ${releaseId}`,
      dates: [...(r?.dates ?? [])].sort((a, b) => a - b),
      fromMs: day(doc.from),
      toMs: day(doc.to),
    };
  }
  return out;
}

/** Put the cached release schedules on the run context, for the checks (audit, ingest, repair, lineage). */
export async function withReleaseSchedules(ctx: { store: Store; config: Config; releases?: Record<string, ReleaseSchedule> }): Promise<void> {
  if (ctx.releases) return;
  const schedules = releaseSchedules(await readMacroDoc(ctx.store), ctx.config);
  if (Object.keys(schedules).length) ctx.releases = schedules;
}
