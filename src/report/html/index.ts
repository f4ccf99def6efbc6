// `--report FILE.html` and `dqctl report`: the run's summary drawn as one self-contained page.
import type { RunContext } from "../../context.ts";
import { InputError } from "../../errors.ts";
import { writeOutputFile } from "../../lakehouse/atomic.ts";
import type { Summary } from "../summary.ts";
import { buildReportDoc } from "./model.ts";
import { renderHtml } from "./page.ts";

/**
 * Write the HTML report of `summary` (charts read from the store; Parquet initialised, as every command that
 * audits has) to `path`, atomically; returns its size in bytes.
 */
export async function writeHtmlReport(ctx: RunContext, summary: Summary, path: string): Promise<number> {
  const html = renderHtml(summary, await buildReportDoc(ctx, summary));
  try {
    writeOutputFile(path, html);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new InputError(`--report ${path}: cannot write the HTML report (${code})`, "choose a writable path for the report", { cause: err });
  }
  return Buffer.byteLength(html);
}
