// Markdown for PR comments: a summary line, a table of series, findings grouped by severity, operational errors.
import type { ErrorItem } from "../../errors.ts";
import type { Finding } from "../../model/finding.ts";
import type { Summary } from "../summary.ts";
import { bySeverity, countsText, oneLine, plural, quarantineLine, timeCell } from "./common.ts";

const ICON: Record<string, string> = { ok: "✅", warning: "⚠️", error: "❌" };
/** Past this many series the table folds into a <details> block, so the comment stays readable. */
const FOLD_ROWS = 30;
/** GitHub caps a comment at 65,536 characters: list at most this many findings per severity. */
const MAX_PER_GROUP = 200;

/** Escape text for a Markdown paragraph or table cell (no HTML, no emphasis, no cell breaks). */
export function mdText(s: string): string {
  return oneLine(s).replace(/[\\`*_[\]<>|#~]/g, (c) => `\\${c}`);
}

/** Inline code that survives backticks inside the value. */
function code(s: string): string {
  const clean = oneLine(s);
  return clean.includes("`") ? `\`\` ${clean} \`\`` : `\`${clean}\``;
}

/** The markdown format of a summary. */
export function renderMarkdown(s: Summary): string {
  const out: string[] = [];
  out.push(`### ${ICON[s.status] ?? ""} dqctl ${mdText(s.command)}: ${s.status} (exit ${s.exitCode})`, "");
  const errors = bySeverity(s.findings, "error");
  const warnings = bySeverity(s.findings, "warning");
  const ops = s.errors ?? [];
  const tally = [plural(errors.length, "error"), plural(warnings.length, "warning"), ...(ops.length ? [plural(ops.length, "operational error")] : [])].join(
    ", ",
  );
  out.push(`${mdText(countsText(s) || "no counts")} — ${tally} · run ${code(s.runId)} · ${s.durationMs} ms`, "");

  if (s.symbols.length) {
    const table = seriesTable(s);
    if (s.symbols.length > FOLD_ROWS) out.push(`<details><summary>${s.symbols.length} series</summary>`, "", ...table, "", "</details>", "");
    else out.push(...table, "");
  }
  const q = quarantineLine(s);
  if (q) out.push(`> ${mdText(q)}`, "");
  if (errors.length) out.push(`#### Errors (${errors.length})`, "", ...findingList(errors), "");
  if (warnings.length) out.push(`#### Warnings (${warnings.length})`, "", ...findingList(warnings), "");
  if (ops.length) out.push(`#### Operational errors (${ops.length})`, "", ...ops.map(errorLine), "");
  return `${out.join("\n").trimEnd()}\n`;
}

function seriesTable(s: Summary): string[] {
  const rows = s.symbols.map(
    (r) =>
      `| ${code(r.symbol)} | ${r.interval} | ${r.profile} | ${r.status} | ${r.rows} | ${timeCell(r.start, r.interval)} | ${timeCell(r.end, r.interval)} | ${r.qualityScore ?? "-"} |`,
  );
  return ["| symbol | interval | profile | status | rows | start | end | quality |", "|---|---|---|---|--:|---|---|--:|", ...rows];
}

function findingList(list: Finding[]): string[] {
  const lines = list.slice(0, MAX_PER_GROUP).map((f) => {
    const series = [f.symbol, f.interval].filter(Boolean).join(" ");
    return `- ${code(f.code)}${series ? ` **${mdText(series)}**` : ""}${f.stage ? ` (${f.stage})` : ""}: ${mdText(f.message)}`;
  });
  if (list.length > MAX_PER_GROUP) lines.push(`- … and ${list.length - MAX_PER_GROUP} more (see \`--json\`)`);
  return lines;
}

function errorLine(e: ErrorItem): string {
  const where = [e.file ? `${e.file}${e.line ? `:${e.line}` : ""}` : undefined, e.symbol].filter(Boolean).join(", ");
  return `- ${code(e.code)}${where ? ` (${mdText(where)})` : ""}: ${mdText(e.message)}`;
}
