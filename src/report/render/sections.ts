// The table format of each command's own sections (plan, stages, calendar, snapshot, cache, …), read from the summary.
import type { Summary } from "../summary.ts";
import { plural, type RenderOptions, timeCell } from "./common.ts";
import { makeTable } from "./grid.ts";
import { type Paint, severityText } from "./paint.ts";
import { OPS_SECTIONS } from "./sections-ops.ts";

type Section = (s: Summary, p: Paint, opts: RenderOptions) => string | undefined;
type Rec = Record<string, unknown>;

const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);
const nonZero = (counts: unknown) =>
  isRec(counts)
    ? Object.entries(counts)
        .filter(([, v]) => v !== 0)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "nothing to do"
    : "";

/** `dqctl calendar`: the sessions table (with the lunch break when there is one), then holidays, early closes, late opens. */
const calendar: Section = (s, p) => {
  const c = s.calendar;
  if (!isRec(c)) return undefined;
  const sessions =
    (c.sessions as { date: string; open: string; close: string; breakStart?: string; breakEnd?: string; early?: string; special?: string; bars?: number }[]) ??
    [];
  const withBars = c.interval !== undefined;
  const breaks = sessions.some((x) => x.breakStart);
  const hm = (t: string) => t.slice(11, 16);
  const t = makeTable(p, ["session", "open (UTC)", "close (UTC)", ...(breaks ? ["break (UTC)"] : []), "note", ...(withBars ? [`${c.interval} bars`] : [])]);
  for (const x of sessions) {
    t.push([
      x.date,
      x.open,
      x.close,
      ...(breaks ? [x.breakStart && x.breakEnd ? `${hm(x.breakStart)}–${hm(x.breakEnd)}` : ""] : []),
      x.early ?? x.special ?? "",
      ...(withBars ? [String(x.bars ?? "")] : []),
    ]);
  }
  const lines = [`${c.calendar ? `${c.calendar} ` : ""}${c.profile} (${c.timezone}) ${c.from} → ${c.to}`, t.toString()];
  for (const h of (c.holidays as { date: string; name: string }[]) ?? []) lines.push(`closed ${h.date}: ${h.name}`);
  for (const e of (c.earlyCloses as { date: string; name: string; close: string; localClose?: string }[]) ?? []) {
    lines.push(`early close ${e.date} at ${e.close}${e.localClose ? ` (${e.localClose} local)` : ""}: ${e.name}`);
  }
  for (const e of (c.specialHours as { date: string; name: string; open: string; localOpen?: string }[]) ?? []) {
    lines.push(`late open ${e.date} at ${e.open}${e.localOpen ? ` (${e.localOpen} local)` : ""}: ${e.name}`);
  }
  return lines.join("\n");
};

/** `dqctl calendar --list`: every calendar, its zone, first year and what maps to it. */
const calendars: Section = (s, p) => {
  if (!Array.isArray(s.calendars)) return undefined;
  const t = makeTable(p, ["calendar", "profile", "time zone", "from", "maps from"]);
  for (const k of s.calendars as { name: string; title: string; profile: string; timezone: string; from: number; aliases: string[]; roots?: string[] }[]) {
    t.push([`${k.name}\n${k.title}`, k.profile, k.timezone, String(k.from), k.roots ? `CME roots ${k.roots.join(" ")}` : k.aliases.join(" ")]);
  }
  return t.toString();
};

/** `dqctl calendar --macro`: FRED's release dates, with the series of interest each publishes, and where they came from. */
const macro: Section = (s, p) => {
  const m = s.macro;
  if (!isRec(m) || !Array.isArray(m.events)) return undefined;
  const events = m.events as { date: string; releaseId: number; name: string; series: string[] }[];
  const t = makeTable(p, ["date", "release", "name", "series"], { colAligns: ["left", "right", "left", "left"] });
  for (const e of events) t.push([e.date, String(e.releaseId), e.name, e.series.join(" ")]);
  const origin = m.fetchedAt === null ? "no API key, nothing fetched" : `${m.cached ? "cached" : "fetched"} ${String(m.fetchedAt)}`;
  const head = `FRED release calendar ${m.from} → ${m.to}: ${plural(events.length, "release date")} (${origin})`;
  return events.length ? `${head}\n${t.toString()}` : head;
};

/** `dqctl flow`: one row per stage with what it did, its findings and errors. */
const stages: Section = (s, p) => {
  if (!isRec(s.stages)) return undefined;
  const t = makeTable(p, ["stage", "result", "findings", "errors"], { colAligns: ["left", "left", "right", "right"] });
  for (const [name, st] of Object.entries(s.stages)) {
    if (!isRec(st)) continue;
    if (st.skipped) {
      t.push([name, p.dim("skipped"), "", ""]);
      continue;
    }
    const errors = Array.isArray(st.errors) ? st.errors.length : 0;
    t.push([name, nonZero(st.counts), String(st.findings ?? 0), errors ? p.red(String(errors)) : "0"]);
  }
  return t.toString();
};

/** `dqctl repair --dry-run`: the plan as a table (newest first, as it would be fetched). */
const plan: Section = (s, p) => {
  if (s.dryRun !== true || !Array.isArray(s.plan)) return undefined;
  const entries = s.plan as { symbol: string; interval: string; fetches: { kind: string; from: string; to: string; bars?: number }[] }[];
  const planned = entries.filter((e) => e.fetches.length);
  const fetches = planned.reduce((n, e) => n + e.fetches.length, 0);
  if (!fetches) return `dry run: nothing to repair in ${plural(entries.length, "series", "series")}`;
  const t = makeTable(p, ["symbol", "interval", "kind", "from", "to", "bars"], { colAligns: ["left", "left", "left", "left", "left", "right"] });
  for (const e of planned)
    for (const f of e.fetches)
      t.push([e.symbol, e.interval, f.kind, timeCell(f.from, e.interval), timeCell(f.to, e.interval), f.bars === undefined ? "-" : String(f.bars)]);
  return `${t.toString()}\ndry run: ${plural(fetches, "fetch", "fetches")} planned for ${planned.length} of ${entries.length} series; nothing fetched or written`;
};

/** `dqctl scan`: where the candidates went and which assets the registry kept out. */
const scan: Section = (s) => {
  if (typeof s.candidatesPath !== "string" || s.stages !== undefined) return undefined;
  const dropped = Array.isArray(s.droppedToxic) ? (s.droppedToxic as string[]) : [];
  return [`candidates: ${s.candidatesPath}`, ...(dropped.length ? [`dropped as toxic (foundation_health.json): ${dropped.join(", ")}`] : [])].join("\n");
};

/** `dqctl ingest`: fetch latency per vendor. */
const latency: Section = (s) => {
  if (!isRec(s.latency)) return undefined;
  const lines: string[] = [];
  for (const [vendor, l] of Object.entries(s.latency as Record<string, { count: number; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null }>)) {
    if (!l.count) continue;
    lines.push(`latency ${vendor}: ${plural(l.count, "fetch", "fetches")}, p50 ${l.p50Ms} ms, p95 ${l.p95Ms} ms, p99 ${l.p99Ms} ms`);
  }
  return lines.join("\n") || undefined;
};

/** `ingest --vendor stream`: the consumer, why it stopped, and end-to-end latency per subject. */
const consume: Section = (s, p) => {
  const c = s.consume;
  if (!isRec(c)) return undefined;
  const lines = [
    `stream ${c.target} ${c.subject} (stream ${c.stream}, durable ${c.durable}): ${plural(Number(c.messages), "message")}, ${c.bars} bars committed, ${c.messagesPerSecond}/s, stopped by ${c.stoppedBy}`,
  ];
  if (Number(c.deadLettered)) lines.push(p.yellow(`${plural(Number(c.deadLettered), "malformed message")} sent to ${c.deadLetter} with the reason`));
  for (const [subject, l] of Object.entries(c.latency as Record<string, { count: number; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null }>))
    lines.push(`latency ${subject} (produced → committed): ${plural(l.count, "bar")}, p50 ${l.p50Ms} ms, p95 ${l.p95Ms} ms, p99 ${l.p99Ms} ms`);
  return lines.join("\n");
};

/** Any recorded run with --emit: where its events went, and what waits in the outbox. */
const stream: Section = (s, p) => {
  const x = s.stream;
  if (!isRec(x)) return undefined;
  const line = `events: ${x.published} of ${x.events} sent to ${x.target}${x.stream ? ` (stream ${x.stream})` : ""}${Number(x.flushed) ? `, ${x.flushed} from the outbox` : ""}`;
  const lines = [line];
  if (Number(x.outboxed))
    lines.push(
      p.yellow(`${plural(Number(x.outboxed), "event")} kept in the outbox (${x.error}); ${x.pending} waiting for the next run that reaches the broker`),
    );
  if (Number(x.refused)) lines.push(p.red(`outbox full: ${plural(Number(x.refused), "event")} lost`));
  return lines.join("\n");
};

/** `dqctl snapshot` and `snapshot verify`: the run folder. */
const snapshot: Section = (s, p) => {
  const x = s.snapshot;
  if (!isRec(x)) return undefined;
  const id = typeof x.snapshotId === "string" ? ` (snapshot id ${x.snapshotId.slice(0, 12)}…)` : "";
  if (typeof x.intact === "boolean") return `run folder ${x.dir}: ${x.intact ? p.green("intact") : p.red("changed")}${id}`;
  if (x.written === false) return p.red(`snapshot ${x.runId}: not written — ${plural(Number(s.counts.blocked ?? 0), "asset")} not fit`);
  const m = isRec(x.matrix) ? `, returns matrix ${x.matrix.rows} rows × ${x.matrix.columns} columns` : "";
  return `snapshot ${x.runId}: ${x.dir}${id}${m}`;
};

/** `dqctl bootstrap`: window, dataset and cache. */
const bootstrap: Section = (s) => {
  if (!isRec(s.cache) || !isRec(s.window)) return undefined;
  const d = s.dataset as { path: string; rows: number; format: string } | null;
  const c = s.cache as { hit: boolean; key: string; pruned: string[]; notStoredBecause?: string };
  return [
    `window: ${s.window.start} → ${s.window.end}`,
    d ? `dataset: ${d.path} (${d.rows} rows, ${d.format})` : `dataset: not cached (${c.notStoredBecause ?? "nothing written"})`,
    `cache: ${c.hit ? "hit" : "miss"} ${c.key.slice(0, 16)}${c.pruned.length ? `, pruned ${c.pruned.length}` : ""}`,
  ].join("\n");
};

/** `dqctl reference check`: each file and whether it is valid. */
const reference: Section = (s, p) => {
  const r = s.reference;
  if (!isRec(r) || !Array.isArray(r.files)) return undefined;
  const files = r.files as { file: string; path: string; present: boolean; entries: number }[];
  const lines = files.map(
    (f) =>
      `${f.present ? p.green("ok     ") : p.dim("absent ")} ${f.path}${f.present ? ` (${f.entries} ${f.file === "instruments.json" ? "instruments" : "profiles"})` : ""}`,
  );
  lines.push(`${files.filter((f) => f.present).length} of ${files.length} files valid in ${r.dir}`);
  return lines.join("\n");
};

/** `dqctl lineage`: the SLA targets met and missed. */
const lineage: Section = (s, p) => {
  const l = s.lineage;
  if (!isRec(l) || !Array.isArray(l.nodes)) return undefined;
  const missed = Number(s.counts.missed ?? 0);
  return `lineage as of ${l.asOf}: ${s.counts.met ?? 0} of ${s.counts.targets ?? 0} targets met${missed ? `, ${severityText(p, "warning")}: ${missed} missed` : ""}`;
};

/** Sections printed before the series table (they are the command's main result). */
export const BEFORE_SECTIONS: Section[] = [calendar, calendars, macro, stages, plan];
/** Sections printed after the findings. */
export const AFTER_SECTIONS: Section[] = [scan, latency, consume, snapshot, bootstrap, reference, lineage, stream, ...OPS_SECTIONS];
