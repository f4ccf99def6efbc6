// Decode the compact answer files under test/data/calendars/ (format: scripts/calendar-answers.ts) and compare a
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

/** A documented difference: between `from` and `to`, `field` is `ours` (local "HH:MM", or "closed"/"session"). */
export interface Deviation {
  calendar: string;
  from: string;
  to: string;
  field: "open" | "close" | "break" | "session";
  ours: string;
  reason: string;
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
