// JUnit XML for CI test reports (GitHub and GitLab JUnit reporters): one testsuite per command, one testcase per
// series. Error findings are a <failure> (what both reporters list and annotate); warnings go to <system-out>,
// which GitLab shows as the case's output and GitHub reporters print under the case without failing it.
// Operational errors are an <error>.
import type { ErrorItem } from "../../errors.ts";
import type { Finding } from "../../model/finding.ts";
import type { Summary } from "../summary.ts";
import { bySeverity, type SeriesView, seriesViews } from "./common.ts";

// XML 1.0 allows only these code points; anything else (e.g. a control byte from a vendor) is dropped.
const INVALID_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escape text for XML content or a double-quoted attribute (line breaks in attributes kept as character refs). */
export function xmlEscape(s: string, attribute = false): string {
  const t = s.replace(INVALID_XML, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return attribute ? t.replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;") : t;
}

const attrs = (a: Record<string, string | number>) =>
  Object.entries(a)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v), true)}"`)
    .join("");

interface Case {
  name: string;
  failures: Finding[];
  warnings: Finding[];
  errors: ErrorItem[];
  status?: string;
}

const findingLine = (f: Finding) => `[${f.severity}] ${f.code}${f.stage ? ` (${f.stage})` : ""}: ${f.message}`;

/** The junit format of a summary. */
export function renderJunit(s: Summary): string {
  const { series, general } = seriesViews(s);
  const cases: Case[] = series.map((v: SeriesView) => ({
    name: v.key,
    failures: bySeverity(v.findings, "error"),
    warnings: bySeverity(v.findings, "warning"),
    errors: v.errors,
    ...(v.row ? { status: v.row.status } : {}),
  }));
  // What is about no series (run-level findings, errors before any series) is one case named after the command;
  // a command without series (scan, calendar, schema) is that one case, passing.
  if (general.findings.length || general.errors.length || !cases.length) {
    cases.push({ name: s.command, failures: bySeverity(general.findings, "error"), warnings: bySeverity(general.findings, "warning"), errors: general.errors });
  }
  const failures = cases.filter((c) => c.failures.length && !c.errors.length).length;
  const errors = cases.filter((c) => c.errors.length).length;
  const time = (s.durationMs / 1000).toFixed(3);
  const classname = `dqctl.${s.command.replace(/\s+/g, ".")}`;
  const suite = { name: `dqctl ${s.command}`, tests: cases.length, failures, errors, skipped: 0, time, timestamp: s.startedAt };
  const props: [string, string | number][] = [
    ["runId", s.runId],
    ["version", s.version],
    ["status", s.status],
    ["exitCode", s.exitCode],
    ["warnings", bySeverity(s.findings, "warning").length],
    ...Object.entries(s.counts).map(([k, v]): [string, number] => [`counts.${k}`, v]),
  ];
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites${attrs({ name: "dqctl", tests: cases.length, failures, errors, skipped: 0, time })}>`,
    `  <testsuite${attrs(suite)}>`,
    "    <properties>",
    ...props.map(([name, value]) => `      <property${attrs({ name, value })}/>`),
    "    </properties>",
  ];
  for (const c of cases) out.push(...testcase(c, classname));
  out.push("  </testsuite>", "</testsuites>");
  return `${out.join("\n")}\n`;
}

function testcase(c: Case, classname: string): string[] {
  const head = `    <testcase${attrs({ classname, name: c.name, time: "0" })}`;
  if (!c.failures.length && !c.warnings.length && !c.errors.length) return [`${head}/>`];
  const out = [`${head}>`];
  // JUnit allows one <error> or <failure> per case: an operational error wins, and the body lists everything.
  const first = c.errors[0];
  const body = [...c.errors.map((e) => `[${e.code}] ${e.message}`), ...c.failures.map(findingLine)].join("\n");
  if (first) {
    const more = c.errors.length - 1 + c.failures.length;
    out.push(`      <error${attrs({ type: first.code, message: `${first.message}${more ? ` (+${more} more)` : ""}` })}>${xmlEscape(body)}</error>`);
  } else if (c.failures.length) {
    const f = c.failures[0]!;
    const more = c.failures.length - 1;
    const status = c.status && c.status !== "degraded" ? `${c.status}: ` : "";
    out.push(
      `      <failure${attrs({ type: f.code, message: `${status}${f.code}: ${f.message}${more ? ` (+${more} more)` : ""}` })}>${xmlEscape(body)}</failure>`,
    );
  }
  if (c.warnings.length) out.push(`      <system-out>${xmlEscape(c.warnings.map(findingLine).join("\n"))}</system-out>`);
  out.push("    </testcase>");
  return out;
}
