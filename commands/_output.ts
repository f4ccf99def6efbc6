// The one render path of the CLI: every command (and every operational error) becomes one summary document,
// rendered in the chosen --format to stdout or, with --output, atomically to a file.
import { ConfigError, type DqError } from "../src/errors.ts";
import { writeOutputFile } from "../src/lakehouse/atomic.ts";
import { redactDeep, redactSecrets } from "../src/redact.ts";
import { isOutputFormat, OUTPUT_FORMATS, type OutputFormat, render } from "../src/report/render/index.ts";
import { errorSummary, newRunId, type Summary } from "../src/report/summary.ts";

/** How the result is printed: the format, where, and whether tables may colour. */
export interface OutputChoice {
  format: OutputFormat;
  /** True when --format or --json chose the format (false: the command's default, a table). */
  explicit: boolean;
  /** --output FILE: the rendered document goes there (atomically) and stdout stays empty. */
  output?: string;
  color: boolean;
  width: number;
}

/** The output flags as citty parses them. */
export interface OutputFlags {
  json?: boolean;
  format?: string;
  output?: string;
  color?: boolean;
}

/**
 * Colour: never in a file or with --no-color; always with --color (a flag may override NO_COLOR, as no-color.org
 * allows); otherwise on a TTY unless NO_COLOR is set and not empty. (cli-table3 ignores NO_COLOR: this decides.)
 */
export function colorFor(stream: { isTTY?: boolean }, flag: boolean | undefined, toFile = false): boolean {
  if (flag === false || toFile) return false;
  if (flag === true) return true;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return false;
  return stream.isTTY === true;
}

/** Resolve --format, --json, --output and --color/--no-color. */
export function outputChoice(flags: OutputFlags): OutputChoice {
  const raw = flags.format;
  if (raw !== undefined && !isOutputFormat(raw))
    throw new ConfigError(`--format: "${raw}" is not one of ${OUTPUT_FORMATS.join(", ")}`, "pass e.g. --format junit", { field: "--format" });
  if (raw !== undefined && flags.json === true && raw !== "json")
    throw new ConfigError(`--json and --format ${raw} disagree`, "pass one of them (--json is --format json)", { field: "--format" });
  if (flags.output !== undefined && flags.output.trim() === "")
    throw new ConfigError("--output: empty file name", "pass --output FILE (e.g. --output reports/dqctl.xml)", { field: "--output" });
  const format: OutputFormat = flags.json === true ? "json" : (raw ?? "table");
  const toFile = flags.output !== undefined;
  const width = !toFile && process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 120;
  return {
    format,
    explicit: flags.json === true || raw !== undefined,
    ...(toFile ? { output: flags.output } : {}),
    color: colorFor(process.stdout, flags.color, toFile),
    width,
  };
}

/** The invocation an operational error belongs to, once setup has resolved it (for the error summary). */
interface Current {
  command: string;
  runId: string;
  started: Date;
  out: OutputChoice;
  note: (line: string) => void;
}
let current: Current | undefined;

/** Remember the running invocation, so an error thrown later still renders with its run id, format and output. */
export function setCurrent(c: Current): void {
  current = c;
}

/** Print a rendered document: to --output (atomically, with a note on stderr) or to stdout. */
export function emit(text: string, out: OutputChoice, note: (line: string) => void): void {
  if (!out.output) {
    process.stdout.write(text);
    return;
  }
  writeOutputFile(out.output, text);
  note(`wrote the ${out.format} summary to ${out.output}`);
}

/** Render a summary (or, for the table format, the command's own document when it has one) and print it. */
export function emitSummary(summary: Summary, out: OutputChoice, note: (line: string) => void, document?: string): void {
  // Every string is redacted before any renderer sees it (vendor errors echo request URLs with their keys).
  const text =
    document !== undefined && !out.explicit ? redactSecrets(document) : render(redactDeep(summary), out.format, { color: out.color, width: out.width });
  emit(text, out, note);
}

/** Lenient read of the output flags from raw argv, for errors thrown before the flags were parsed. */
function argvChoice(argv: string[]): OutputChoice {
  const value = (name: string): string | undefined => {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === "--") break;
      if (a === `--${name}`) return argv[i + 1];
      if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
    }
    return undefined;
  };
  const format = value("format");
  const json = argv.includes("--json");
  const output = value("output");
  return {
    format: json ? "json" : format !== undefined && isOutputFormat(format) ? format : "table",
    explicit: json || format !== undefined,
    ...(output ? { output } : {}),
    color: false,
    width: 120,
  };
}

/**
 * An operational error that stopped the command still yields one summary (status error, exit 3, errors[] with the
 * error's code and location) in the chosen format, so a CI report or dashboard never misses a failed run. The
 * table format prints nothing more on stdout: the one line on stderr says it all.
 */
export function emitErrorSummary(argv: string[], err: DqError, command?: string): void {
  const now = new Date();
  const out = current?.out ?? argvChoice(argv);
  const name = current?.command ?? command ?? argv.find((a) => !a.startsWith("-")) ?? "";
  const summary = errorSummary(name, current?.runId ?? newRunId(now), current?.started ?? now, now, err);
  if (out.format === "table" && !out.output) return;
  try {
    emit(render(redactDeep(summary), out.format, { color: false, width: out.width }), out, current?.note ?? ((line) => process.stderr.write(`${line}\n`)));
  } catch (e) {
    // The report itself cannot be written (e.g. --output in a read-only folder): the stderr line stands alone.
    process.stderr.write(`dqctl: could not write the error summary: ${e instanceof Error ? e.message : String(e)}\n`);
  }
}
