// `bun scripts/calendar-answers.ts <exchange_calendars git dir> [names…]`: turn exchange_calendars' answer files
// (tests/resources/<name>.csv: session, open, close, break_start, break_end in UTC) into the compact JSON under
// test/answers/ that test/unit/calendar/answers.test.ts checks every built-in calendar against.
// Format (lossless): `days` = gaps in days between consecutive sessions, one base-36 digit each (the first is 0);
// `times` = the distinct [open, close, breakStart, breakEnd] tuples as minutes from the session's 00:00 UTC (null
// when there is no break); `runs` = "index*count" runs of tuple indices, one per session.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const DAY = 86_400_000;
const [gitDir, ...names] = process.argv.slice(2);
if (!gitDir) throw new Error("usage: bun scripts/calendar-answers.ts <exchange_calendars git dir> [names…]");
const git = (...args: string[]) => execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
const commit = git("rev-parse", "HEAD").trim();
const list = names.length
  ? names
  : [
      "xnys",
      "cmes",
      "xlon",
      "xetr",
      "xpar",
      "xams",
      "xswx",
      "xmad",
      "xmil",
      "xtks",
      "xhkg",
      "xshg",
      "xkrx",
      "xbom",
      "xasx",
      "xtse",
      "xjse",
      "xtae",
      "xses",
      "bvmf",
    ];

for (const name of list) {
  const rows = git("show", `HEAD:tests/resources/${name}.csv`)
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(","));
  let prev: number | undefined;
  let days = "";
  const times: (number | null)[][] = [];
  const index = new Map<string, number>();
  const runs: [number, number][] = [];
  for (const [session, open, close, bs, be] of rows) {
    const label = Date.parse(session!);
    days += prev === undefined ? "0" : ((label - prev) / DAY).toString(36);
    if ((label - (prev ?? label)) / DAY >= 36) throw new Error(`${name}: gap over 35 days before ${session}`);
    prev = label;
    const m = (s: string | undefined) => (s ? (Date.parse(s) - label) / 60_000 : null);
    const tuple = [m(open), m(close), m(bs), m(be)];
    const key = tuple.join(",");
    let i = index.get(key);
    if (i === undefined) {
      i = times.length;
      index.set(key, i);
      times.push(tuple);
    }
    const last = runs[runs.length - 1];
    if (last && last[0] === i) last[1]++;
    else runs.push([i, 1]);
  }
  const doc = {
    calendar: name.toUpperCase(),
    source: `https://github.com/gerrymanoim/exchange_calendars/blob/${commit}/tests/resources/${name}.csv`,
    first: rows[0]![0]!.slice(0, 10),
    last: rows[rows.length - 1]![0]!.slice(0, 10),
    sessions: rows.length,
    days,
    times,
    runs: runs.map(([i, n]) => (n === 1 ? `${i}` : `${i}*${n}`)).join(","),
  };
  writeFileSync(join(import.meta.dir, "../test/answers", `${name}.json`), `${JSON.stringify(doc)}\n`);
  console.log(`${name}: ${rows.length} sessions, ${times.length} distinct hours, ${runs.length} runs`);
}
