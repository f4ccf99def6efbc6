// stderr for people: log lines with ISO UTC timestamps, and progress that a person (TTY) or a CI log (plain lines)
// can follow. On a TTY the progress line is redrawn in place; a log line clears it, prints, and redraws it, so
// warnings never break the bar.
import * as util from "node:util";
// consola/core: the full entry builds a default instance with its own reporters at import (~20 ms with the inspect
// module they pull in); dqctl has its own reporter.
import { type ConsolaInstance, createConsola, type LogObject } from "consola/core";
import type { Progress } from "../src/context.ts";
import { redactSecrets } from "../src/redact.ts";
import { paint, stripAnsi } from "../src/report/render/paint.ts";

/** Where stderr output goes (process.stderr, or a collector in tests). */
export interface Sink {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Shared state of one stderr: the progress line currently drawn, if any. */
export interface StderrUi {
  sink: Sink;
  tty: boolean;
  color: boolean;
  /** The live progress line, redrawn after each log line (TTY only). */
  live?: string;
  now: () => number;
}

const CLEAR = "\r\x1b[2K";

/** Create the shared stderr state. */
export function stderrUi(sink: Sink, opts: { color: boolean; now?: () => number }): StderrUi {
  return { sink, tty: sink.isTTY === true, color: opts.color, now: opts.now ?? Date.now };
}

/** Write one complete log line, keeping a live progress line intact below it. */
export function writeLine(ui: StderrUi, line: string): void {
  if (ui.tty && ui.live !== undefined) ui.sink.write(`${CLEAR}${line}\n${ui.live}`);
  else ui.sink.write(`${line}\n`);
}

const LEVEL: Record<string, string> = {
  fatal: "ERROR",
  error: "ERROR",
  warn: "WARN",
  log: "INFO",
  info: "INFO",
  success: "INFO",
  start: "INFO",
  ready: "INFO",
  box: "INFO",
  debug: "DEBUG",
  trace: "TRACE",
  verbose: "DEBUG",
};

/** Format a consola log object: `2026-11-21T06:00:00.123Z WARN  message` (always UTC, whatever TZ says). */
export function formatLog(obj: Pick<LogObject, "date" | "type" | "args" | "tag">, color: boolean): string {
  const p = paint(color);
  const level = (LEVEL[obj.type] ?? obj.type.toUpperCase()).padEnd(5);
  const tinted = level.startsWith("ERROR") ? p.red(level) : level.startsWith("WARN") ? p.yellow(level) : level.startsWith("INFO") ? level : p.dim(level);
  // Looked up at the call: node:util builds its inspect module (~15 ms) when formatWithOptions is first read.
  const text = util.formatWithOptions({ colors: color }, ...(obj.args as unknown[])).replace(/\n+$/, "");
  return `${p.dim(obj.date.toISOString())} ${tinted} ${obj.tag ? `[${obj.tag}] ` : ""}${text}`;
}

/** consola writing to the shared stderr with ISO UTC timestamps. */
export function createLogger(ui: StderrUi, level: number): ConsolaInstance {
  return createConsola({
    level,
    // Every log line is redacted as it is written: vendor errors echo request URLs with their keys.
    reporters: [{ log: (obj) => writeLine(ui, redactSecrets(formatLog(obj, ui.color))) }],
  });
}

/** A duration for people: `9s`, `2m05s`, `1h02m`. */
export function shortDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** Off a TTY, a plain line at most this often … */
const PLAIN_EVERY_MS = 10_000;
/** … or at each tenth of the work, whichever comes first. */
const PLAIN_STEPS = 10;
/** … but never closer together than this. */
const PLAIN_MIN_GAP_MS = 1_000;
/** On a TTY, redraw at most this often (the last state is always drawn). */
const REDRAW_MS = 80;

/** Progress on the shared stderr: a live line on a TTY, plain log lines every ~10 s or 10 % otherwise. */
export function createProgress(ui: StderrUi, log: (line: string) => void): Progress {
  let label = "";
  let total = 0;
  let n = 0;
  let started = 0;
  let lastDraw = 0;
  let lastPlain = 0;
  let lastStep = 0;
  let outcomes = new Map<string, number>();

  /** The numbers of one progress line: %, done/total, outcome tally, rate and ETA (or, when final, the time taken). */
  const stats = (final: boolean) => {
    const elapsed = ui.now() - started;
    const done = Math.min(n, total);
    const rate = elapsed > 0 ? (done / elapsed) * 1000 : 0;
    return {
      pct: total ? Math.floor((done / total) * 100) : 100,
      count: `${Math.round(done)}/${total}`,
      tally: [...outcomes].map(([k, v]) => `${k} ${v}`).join(", "),
      speed: rate > 0 ? `${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/s` : "",
      eta: final ? `in ${shortDuration(elapsed)}` : rate > 0 ? `ETA ${shortDuration(((total - done) / rate) * 1000)}` : "",
    };
  };

  const plainText = (final: boolean): string => {
    const x = stats(final);
    return `${label}: ${x.count} (${x.pct}%)${x.tally ? `, ${x.tally}` : ""}${x.speed ? `, ${x.speed}` : ""}${x.eta ? `, ${x.eta}` : ""}`;
  };

  const ttyText = (): string => {
    const x = stats(false);
    const width = 20;
    const fill = total ? Math.round((Math.min(n, total) / total) * width) : width;
    const p = paint(ui.color);
    const bar = `${p.green("█".repeat(fill))}${p.dim("░".repeat(width - fill))}`;
    const main = `${label} ${String(x.pct).padStart(3)}% ${bar} ${x.count}`;
    // Never wrap: a wrapped line cannot be redrawn in place. Drop the tally, then the rate, to fit the terminal.
    const cols = (ui.sink.columns || 120) - 1;
    for (const parts of [[main, x.tally, x.speed, x.eta], [main, x.speed, x.eta], [main, x.eta], [main]]) {
      const text = parts.filter(Boolean).join(" · ");
      if (stripAnsi(text).length <= cols) return text;
    }
    return main;
  };

  const draw = () => {
    ui.live = ttyText();
    ui.sink.write(`${CLEAR}${ui.live}`);
    lastDraw = ui.now();
  };

  return {
    start(l, t) {
      label = l;
      total = t;
      n = 0;
      started = ui.now();
      lastPlain = started;
      lastStep = 0;
      outcomes = new Map();
      if (t <= 0) return;
      if (ui.tty) draw();
      else log(`${label}: ${t} series`);
    },
    tick(k = 1, outcome) {
      n += k;
      if (outcome) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (!total) return;
      const t = ui.now();
      if (ui.tty) {
        if (t - lastDraw >= REDRAW_MS || n >= total) draw();
        return;
      }
      const step = Math.floor((Math.min(n, total) * PLAIN_STEPS) / total);
      // A tenth done is worth a line only a second after the last one: a fast run logs its start and end, no more.
      if (n < total && ((step > lastStep && t - lastPlain >= PLAIN_MIN_GAP_MS) || t - lastPlain >= PLAIN_EVERY_MS)) {
        lastStep = step;
        lastPlain = t;
        log(plainText(false));
      }
    },
    done() {
      if (!total) return;
      if (ui.tty) {
        ui.live = undefined;
        ui.sink.write(`${CLEAR}`);
      }
      log(plainText(true));
      total = 0;
    },
  };
}
