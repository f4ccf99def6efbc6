// Bun (and `bun build --compile`): uPlot's script and style are embedded in the executable and read from its virtual FS.
import { readFileSync } from "node:fs";
import jsPath from "uplot/dist/uPlot.iife.min.js" with { type: "file" };
import cssPath from "uplot/dist/uPlot.min.css" with { type: "file" };

/** uPlot's minified script and stylesheet, inlined into the HTML report. */
export function chartLibrary(): { js: string; css: string } {
  return { js: readFileSync(jsPath, "utf8"), css: readFileSync(cssPath, "utf8") };
}
