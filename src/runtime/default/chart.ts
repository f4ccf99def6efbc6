// Deno and Node: uPlot's files are resolved from node_modules next to the sources.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const read = (spec: string) => readFileSync(fileURLToPath(import.meta.resolve(spec)), "utf8");

/** uPlot's minified script and stylesheet, inlined into the HTML report. */
export function chartLibrary(): { js: string; css: string } {
  return { js: read("uplot/dist/uPlot.iife.min.js"), css: read("uplot/dist/uPlot.min.css") };
}
