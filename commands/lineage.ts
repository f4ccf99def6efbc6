import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { defineCommand } from "citty";
import { ConfigError } from "../src/errors.ts";
import { writeFileAtomic } from "../src/lakehouse/atomic.ts";
import { emitEvents, LINEAGE_FORMATS, type LineageFormat, parseEmitUrl, runLineage } from "../src/lineage/index.ts";
import { withHelp } from "./_help.ts";
import { finish, renderSummary, setup } from "./_runtime.ts";
import { globalArgs } from "./_shared.ts";

export default withHelp(defineCommand({
  meta: { name: "lineage", description: "The data lineage & SLA document with measured freshness and completeness; OpenLineage events on request" },
  args: {
    ...globalArgs,
    out: { type: "string", description: "Write the document here (e.g. docs/deployment/data_lineage.md) instead of stdout", valueHint: "FILE" },
    format: { type: "string", description: "markdown (the lineage & SLA document) or openlineage (NDJSON RunEvents, spec 2-0-2)", valueHint: "markdown|openlineage" },
    emit: { type: "string", description: "POST every OpenLineage event to this endpoint (e.g. http://127.0.0.1:5000/api/v1/lineage)", valueHint: "URL" },
  },
  async run({ args }) {
    const inv = setup("lineage", args);
    const format = (args.format ?? "markdown") as LineageFormat;
    if (!LINEAGE_FORMATS.includes(format)) throw new ConfigError(`--format: "${args.format}" is not markdown or openlineage`, "use --format markdown or --format openlineage");
    if (args.emit !== undefined) parseEmitUrl(args.emit);
    const result = await runLineage(inv.ctx, format);
    if (args.emit !== undefined) {
      const sent = await emitEvents(result.events, args.emit);
      inv.consola.info(`lineage: posted ${sent} OpenLineage events to ${args.emit}`);
      result.step.counts.emitted = sent;
    }
    if (args.out) {
      mkdirSync(dirname(args.out), { recursive: true });
      writeFileAtomic(args.out, result.document);
      inv.consola.info(`lineage: wrote ${args.out}`);
    }
    // Without --out the document is the result; with it, the summary says what the document holds.
    return finish(inv, result.step, args.out ? renderSummary : () => result.document);
  },
}), {
  examples: [
    "dqctl lineage --out docs/deployment/data_lineage.md",
    "dqctl lineage --format openlineage > lineage.ndjson",
    "dqctl lineage --format openlineage --emit http://127.0.0.1:5000/api/v1/lineage",
  ],
});
