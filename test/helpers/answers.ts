// Decode the compact answer files under test/answers/ (format: scripts/calendar-answers.ts) and compare a
// calendar with them session by session.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { MarketCalendar, Session } from "../../src/calendar/index.ts";

const DAY = 86_400_000;
export const ANSWERS_DIR = join(import.meta.dir, "../answers");

/** One reference session: UTC ms; breaks undefined when there is none. */
export interface AnswerSession {
  label: number;
  open: number;
  close: number;
  breakStart?: number;
  breakEnd?: number;
}

interface AnswerFile {
  calendar: string;
  first: string;
  last: string;
  sessions: number;
  days: string;
  times: (number | null)[][];
  runs: string;
}

/**
 * A documented difference with the answer file (test/answers/deviations.json): on `dates`, or between `from` and `to`
 * where the answer's local times match `when`, our session is the answer's with `ours` applied (local "HH:MM"; an
 * open at or after the close is the evening before), or `{ "closed": true }`, or a whole session where the answer
 * has none.
 */
export interface Deviation {
  calendar: string;
  dates?: string[];
  from?: string;
  to?: string;
  when?: Partial<Record<"open" | "close" | "breakStart" | "breakEnd", string>>;
  ours: Partial<Record<"open" | "close" | "breakStart" | "breakEnd", string | null>> & { closed?: true };
  reason: string;
}

/** Local wall clock "HH:MM" and date of a UTC ms in a zone (Intl, independent of the engine). */
const formats = new Map<string, Intl.DateTimeFormat>();
export function localClock(ms: number, zone: string): { date: string; hm: string } {
  let f = formats.get(zone);
  if (!f)
    formats.set(
      zone,
      (f = new Intl.DateTimeFormat("en-CA", {
        timeZone: zone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      })),
    );
  const p = f.formatToParts(ms);
  const get = (t: string) => p.find((x) => x.type === t)!.value;
  return { date: `${get("year")}-${get("month")}-${get("day")}`, hm: `${get("hour")}:${get("minute")}` };
}

/** UTC ms of local "HH:MM" on date `day` (00:00 UTC ms) in a zone, found by search over Intl (independent of the engine). */
export function localToUtcMs(day: number, hm: string, zone: string): number {
  const [h, m] = hm.split(":").map(Number);
  const want = day + (h! * 60 + m!) * 60_000;
  const date = new Date(day).toISOString().slice(0, 10);
  // The local clock as if it were UTC, minus the zone's offset there; an offset found at the first guess is refined once.
  const offsetAt = (t: number) => {
    const l = localClock(t, zone);
    return (Date.parse(`${l.date}T${l.hm}:00Z`) - Math.floor(t / 60_000) * 60_000) / 60_000;
  };
  for (const guess of [want, want - offsetAt(want) * 60_000]) {
    const t = want - offsetAt(guess) * 60_000;
    const l = localClock(t, zone);
    if (l.date === date && l.hm === hm) return t;
  }
  throw new Error(`${date} ${hm} does not exist in ${zone}`);
}

/** Apply the documented deviations to a calendar's answers (returns a new list). */
export function applyDeviations(answers: AnswerSession[], devs: readonly Deviation[], zone: string): AnswerSession[] {
  const byLabel = new Map(answers.map((a) => [a.label, { ...a }]));
  for (const d of devs) {
    const labels = d.dates
      ? d.dates.map((x) => Date.parse(`${x}T00:00:00Z`))
      : [...byLabel.keys()].filter((l) => l >= Date.parse(`${d.from}T00:00:00Z`) && l <= Date.parse(`${d.to}T00:00:00Z`));
    for (const label of labels) {
      const a = byLabel.get(label);
      if (a && d.when) {
        const local = { open: a.open, close: a.close, breakStart: a.breakStart, breakEnd: a.breakEnd };
        const match = Object.entries(d.when).every(([k, hm]) => {
          const v = local[k as keyof typeof local];
          return v !== undefined && localClock(v, zone).hm === hm;
        });
        if (!match) continue;
      }
      if (d.ours.closed) {
        byLabel.delete(label);
        continue;
      }
      const s: AnswerSession = a ?? { label, open: Number.NaN, close: Number.NaN };
      const close = d.ours.close ?? (a ? localClock(a.close, zone).hm : undefined);
      for (const k of ["open", "close", "breakStart", "breakEnd"] as const) {
        const hm = d.ours[k];
        if (hm === undefined) continue;
        if (hm === null) {
          delete s[k];
          continue;
        }
        // An open at or after the close is the evening before (CME, forex).
        const evening = k === "open" && close !== undefined && hm >= close;
        s[k] = localToUtcMs(label - (evening ? DAY : 0), hm, zone);
      }
      byLabel.set(label, s);
    }
  }
  return [...byLabel.values()].sort((x, y) => x.label - y.label);
}

/** The reference sessions of one calendar. */
export function readAnswers(name: string): { first: number; last: number; sessions: AnswerSession[] } {
  const doc = JSON.parse(readFileSync(join(ANSWERS_DIR, `${name.toLowerCase()}.json`), "utf8")) as AnswerFile;
  const idx: number[] = [];
  for (const run of doc.runs.split(",")) {
    const [i, n = "1"] = run.split("*");
    for (let k = 0; k < Number(n); k++) idx.push(Number(i));
  }
  const sessions: AnswerSession[] = [];
  let label = Date.parse(`${doc.first}T00:00:00Z`);
  for (let k = 0; k < doc.days.length; k++) {
    label += parseInt(doc.days[k]!, 36) * DAY;
    const [o, c, bs, be] = doc.times[idx[k]!]!;
    const s: AnswerSession = { label, open: label + o! * 60_000, close: label + c! * 60_000 };
    if (bs !== null && bs !== undefined) s.breakStart = label + bs * 60_000;
    if (be !== null && be !== undefined) s.breakEnd = label + be * 60_000;
    sessions.push(s);
  }
  if (sessions.length !== doc.sessions || idx.length !== doc.sessions) throw new Error(`${name}: answer file does not decode to ${doc.sessions} sessions`);
  return { first: Date.parse(`${doc.first}T00:00:00Z`), last: Date.parse(`${doc.last}T00:00:00Z`), sessions };
}

const iso = (ms: number | undefined) => (ms === undefined ? "-" : new Date(ms).toISOString().slice(0, 16));

/** Every difference between a calendar and its answers from `fromMs` on, as one line each. */
export function compareWithAnswers(cal: MarketCalendar, answers: AnswerSession[], fromMs: number, toMs: number): string[] {
  const ours = new Map<number, Session>(cal.sessionsBetween(fromMs, toMs).map((s) => [s.label, s]));
  const theirs = new Map(answers.filter((a) => a.label >= fromMs && a.label <= toMs).map((a) => [a.label, a]));
  const out: string[] = [];
  for (const [label, a] of theirs) {
    const s = ours.get(label);
    const day = iso(label).slice(0, 10);
    if (!s) {
      out.push(`${day}: answer has a session ${iso(a.open)}–${iso(a.close)}, ours is closed`);
      continue;
    }
    const want = [a.open, a.close, a.breakStart, a.breakEnd].map(iso).join(" ");
    const got = [s.openMs, s.closeMs, s.breakStartMs, s.breakEndMs].map(iso).join(" ");
    if (want !== got) out.push(`${day}: answer ${want} | ours ${got}`);
  }
  for (const label of ours.keys()) if (!theirs.has(label)) out.push(`${iso(label).slice(0, 10)}: ours has a session, answer is closed`);
  return out.sort();
}
