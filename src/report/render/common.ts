// Pieces every renderer shares: the series a summary talks about, its findings per series, plain-text lines.
import type { ErrorItem } from "../../errors.ts";
import type { Finding } from "../../model/finding.ts";
import type { Summary, SymbolReport } from "../summary.ts";

/** Options the renderers take (all renderers are pure functions of the summary and these). */
export interface RenderOptions {
  /** ANSI colour (tables only; respect NO_COLOR and --no-color). */
  color: boolean;
  /** Line width for tables (the terminal's columns, else a default). */
  width: number;
}

export const DEFAULT_RENDER: RenderOptions = { color: false, width: 120 };

/** One series of a summary with everything reported about it. */
export interface SeriesView {
  key: string;
  symbol: string;
  interval?: string;
  row?: SymbolReport;
  findings: Finding[];
  errors: ErrorItem[];
}

/** Series in summary order (rows first, then series only findings or errors name), plus what is about no series. */
export function seriesViews(s: Summary): { series: SeriesView[]; general: { findings: Finding[]; errors: ErrorItem[] } } {
  const byKey = new Map<string, SeriesView>();
  const add = (symbol: string, interval?: string): SeriesView => {
    const key = interval ? `${symbol} ${interval}` : symbol;
    let v = byKey.get(key);
    if (!v) {
      v = { key, symbol, ...(interval ? { interval } : {}), findings: [], errors: [] };
      byKey.set(key, v);
    }
    return v;
  };
  for (const r of s.symbols) add(r.symbol, r.interval).row ??= r;
  const general = { findings: [] as Finding[], errors: [] as ErrorItem[] };
  for (const f of s.findings) {
    if (f.symbol) add(f.symbol, f.interval).findings.push(f);
    else general.findings.push(f);
  }
  for (const e of s.errors ?? []) {
    if (!e.symbol) {
      general.errors.push(e);
      continue;
    }
    // An error names the symbol only: attach it to that symbol's first series.
    const v = [...byKey.values()].find((x) => x.symbol === e.symbol) ?? add(e.symbol);
    v.errors.push(e);
  }
  return { series: [...byKey.values()], general };
}

/** `symbols 16, healthy 5, …` from the counts, in their order. */
export function countsText(s: Summary): string {
  return Object.entries(s.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
}

/**
 * The closing line about quarantine, e.g. `1 asset held in quarantine and toxic bars of 2 more: data/lakehouse/quarantine/`
 * (whole series held as toxic, and series whose toxic bars were cut out into it); undefined when none.
 */
export function quarantineLine(s: Summary): string | undefined {
  const held = new Map<string, string[]>();
  const bars = new Map<string, string[]>();
  const quarantine = Array.isArray(s.quarantine) ? (s.quarantine as { symbol: string; files: string[]; isToxic: boolean }[]) : [];
  for (const q of quarantine) (q.isToxic ? held : bars).set(q.symbol, q.files);
  for (const r of s.symbols) {
    const files = r.quarantined;
    if (!Array.isArray(files) || !files.length) continue;
    if (r.status === "toxic") held.set(r.symbol, files as string[]);
    else if (typeof r.barsQuarantined === "number" && r.barsQuarantined > 0) bars.set(r.symbol, files as string[]);
  }
  for (const k of held.keys()) bars.delete(k);
  if (!held.size && !bars.size) return undefined;
  const files = [...held.values(), ...bars.values()].flat();
  const dirs = [...new Set(files.map(dirOf))];
  const where = dirs.length === 1 ? dirs[0]! : dirs.join(", ");
  const assets = (n: number) => `${n} ${n === 1 ? "asset" : "assets"}`;
  if (!bars.size) return `${assets(held.size)} held in quarantine: ${where}`;
  if (!held.size) return `toxic bars of ${assets(bars.size)} held in quarantine: ${where}`;
  return `${assets(held.size)} held in quarantine and toxic bars of ${bars.size} more: ${where}`;
}

function dirOf(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return i < 0 ? "./" : path.slice(0, i + 1);
}

/** A time range cell: the date for daily series, else date and minute (always UTC). */
export function timeCell(isoTime: string | null | undefined, interval: string | undefined): string {
  if (!isoTime) return "-";
  return interval === "1d" ? isoTime.slice(0, 10) : `${isoTime.slice(0, 16).replace("T", " ")}Z`;
}

/** A file a finding points at (its evidence path), for annotations. */
export function findingFile(f: Finding): string | undefined {
  for (const k of ["path", "file"]) {
    const v = f.details?.[k];
    if (typeof v === "string" && v) return v;
  }
  const files = f.details?.files;
  return Array.isArray(files) && typeof files[0] === "string" ? files[0] : undefined;
}

/** Findings of one severity. */
export function bySeverity(findings: readonly Finding[], severity: Finding["severity"]): Finding[] {
  return findings.filter((f) => f.severity === severity);
}

/** `3 errors` / `1 error` (`many` for irregular plurals: fetch → fetches). */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Wrap text to `width` columns at spaces; a word longer than a line is split, never cut off. */
export function wrap(text: string, width: number): string {
  const w = Math.max(8, width);
  const lines: string[] = [];
  for (const para of text.split("\n")) {
    let line = "";
    for (let word of para.split(" ")) {
      while (word.length > w) {
        if (line) lines.push(line);
        lines.push(word.slice(0, w));
        word = word.slice(w);
        line = "";
      }
      if (!line) line = word;
      else if (line.length + 1 + word.length <= w) line += ` ${word}`;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines.join("\n");
}

/** Control characters (line breaks, tabs, ESC from a vendor's data) as spaces: a cell or line must not drive the terminal. */
export function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ");
}
