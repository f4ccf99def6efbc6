// The human rendering of a summary: compact tables of series and findings, each command's sections, closing lines.
import type { Summary } from "../summary.ts";
import { countsText, oneLine, plural, quarantineLine, type RenderOptions, timeCell, wrap } from "./common.ts";
import { makeTable } from "./grid.ts";
import { type Paint, paint, seriesStatusText, severityText, stripAnsi } from "./paint.ts";
import { AFTER_SECTIONS, BEFORE_SECTIONS } from "./sections.ts";

/** The table format: series, findings, command sections, quarantine and errors, the status line and a hint. */
export function renderTable(s: Summary, opts: RenderOptions): string {
  const p = paint(opts.color);
  // `dqctl schema`: the result is the JSON Schema itself, ready to redirect into a file.
  if (s.jsonSchema !== undefined) return `${JSON.stringify(s.jsonSchema, null, 2)}\n`;
  const parts: string[] = [];
  for (const section of BEFORE_SECTIONS) {
    const text = section(s, p, opts);
    if (text) parts.push(text);
  }
  if (s.symbols.length) parts.push(seriesTable(s, p));
  if (s.findings.length) parts.push(findingsTable(s, p, opts.width));
  for (const section of AFTER_SECTIONS) {
    const text = section(s, p, opts);
    if (text) parts.push(text);
  }
  const q = quarantineLine(s);
  if (q) parts.push(p.magenta(q));
  const errors = s.errors ?? [];
  if (errors.length) parts.push(p.red(`${plural(errors.length, "operational error")} (exit 3), one line each on stderr`));
  parts.push(`${s.command}: ${severityText(p, s.status)} (${countsText(s)}) in ${s.durationMs} ms, exit ${s.exitCode}`);
  if (s.symbols.length || s.findings.length || errors.length) parts.push(p.dim("details: --json, or --format markdown|junit|github (--output FILE)"));
  return `${parts.join("\n")}\n`;
}

function seriesTable(s: Summary, p: Paint): string {
  const t = makeTable(p, ["symbol", "interval", "profile", "status", "rows", "start", "end", "quality"], {
    colAligns: ["left", "left", "left", "left", "right", "left", "left", "right"],
  });
  for (const r of s.symbols) {
    t.push([
      r.symbol,
      r.interval,
      r.profile,
      seriesStatusText(p, r.status),
      String(r.rows),
      timeCell(r.start, r.interval),
      timeCell(r.end, r.interval),
      r.qualityScore === null ? "-" : String(r.qualityScore),
    ]);
  }
  return t.toString();
}

function findingsTable(s: Summary, p: Paint, width: number): string {
  const staged = s.findings.some((f) => f.stage);
  const head = ["severity", "code", "series", ...(staged ? ["stage"] : []), "message"];
  const rows = s.findings.map((f) => [
    severityText(p, f.severity),
    f.code,
    [f.symbol, f.interval].filter(Boolean).join(" "),
    ...(staged ? [f.stage ?? ""] : []),
    f.message,
  ]);
  // Every column but the message is as wide as its longest cell (codes are never cut); the message wraps in the rest.
  const fixed = head.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((r) => stripAnsi(r[i]!).length)) + 2);
  const borders = head.length + 1;
  const longest = Math.max(...rows.map((r) => oneLine(r[r.length - 1]!).length), "message".length) + 2;
  const message = Math.min(longest, Math.max(30, width - borders - fixed.reduce((a, b) => a + b, 0)));
  // Wrapped here, not by cli-table3: it cuts a word longer than the column (a path) with an ellipsis.
  const t = makeTable(p, head, { colWidths: [...fixed, message] });
  for (const r of rows) t.push([...r.slice(0, -1), wrap(oneLine(r[r.length - 1]!), message - 2)]);
  return t.toString();
}
