// GitHub Actions workflow commands: one `::error`/`::warning` annotation per finding and per operational error,
// then a `::notice` with the run's status line.
// Escaping follows GitHub's toolkit (actions/toolkit command.ts): data escapes %, CR and LF; property values
// additionally escape ':' and ','.
import type { ErrorItem } from "../../errors.ts";
import type { Finding } from "../../model/finding.ts";
import type { Summary } from "../summary.ts";
import { countsText, findingFile } from "./common.ts";

/** Escape the message part of a workflow command. */
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escape a property value (title, file, …) of a workflow command. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** One workflow command line. */
export function workflowCommand(command: string, props: Record<string, string | number | undefined>, message: string): string {
  const p = Object.entries(props)
    .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== "")
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  return `::${command}${p ? ` ${p}` : ""}::${escapeData(message)}`;
}

function findingCommand(s: Summary, f: Finding): string {
  const series = [f.symbol, f.interval].filter(Boolean).join(" ");
  const title = `dqctl ${s.command}: ${f.code}${series ? ` ${series}` : ""}${f.stage ? ` (${f.stage})` : ""}`;
  return workflowCommand(f.severity, { title, file: findingFile(f) }, f.message);
}

function errorCommand(s: Summary, e: ErrorItem): string {
  const title = `dqctl ${s.command}: ${e.code}${e.symbol ? ` ${e.symbol}` : ""}`;
  return workflowCommand("error", { title, file: e.file, line: e.line, col: typeof e.column === "number" ? e.column : undefined }, e.message);
}

/** The github format of a summary: annotations for errors, findings, and a closing notice. */
export function renderGithub(s: Summary): string {
  const lines = [
    ...(s.errors ?? []).map((e) => errorCommand(s, e)),
    ...s.findings.filter((f) => f.severity === "error").map((f) => findingCommand(s, f)),
    ...s.findings.filter((f) => f.severity === "warning").map((f) => findingCommand(s, f)),
  ];
  lines.push(
    workflowCommand(
      "notice",
      { title: `dqctl ${s.command}: ${s.status}` },
      `${s.status} (${countsText(s) || "no counts"}), ${s.findings.length} findings, exit ${s.exitCode}`,
    ),
  );
  return `${lines.join("\n")}\n`;
}
