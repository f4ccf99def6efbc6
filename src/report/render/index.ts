// One render path: every output format is a function of the one summary document.
import { type Summary, toJson } from "../summary.ts";
import { DEFAULT_RENDER, type RenderOptions } from "./common.ts";
import { renderGithub } from "./github.ts";
import { renderJunit } from "./junit.ts";
import { renderMarkdown } from "./markdown.ts";
import { renderTable } from "./table.ts";

export { DEFAULT_RENDER, type RenderOptions };

/** The output formats of `--format` (`--json` is `--format json`). */
export const OUTPUT_FORMATS = ["table", "json", "markdown", "junit", "github"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** True when `s` names an output format. */
export function isOutputFormat(s: string): s is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(s);
}

/** Render a summary in a format. */
export function render(s: Summary, format: OutputFormat, opts: RenderOptions = DEFAULT_RENDER): string {
  switch (format) {
    case "json":
      return `${toJson(s)}\n`;
    case "markdown":
      return renderMarkdown(s);
    case "junit":
      return renderJunit(s);
    case "github":
      return renderGithub(s);
    case "table":
      return renderTable(s, opts);
  }
}
