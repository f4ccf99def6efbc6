import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { defineCommand } from "citty";
import { ConfigError } from "../src/errors.ts";
import { writeFileAtomic } from "../src/lakehouse/atomic.ts";
import { emitEvents, LINEAGE_FORMATS, type LineageFormat, parseEmitUrl, runLineage } from "../src/lineage/index.ts";
import { isOutputFormat, OUTPUT_FORMATS } from "../src/report/render/index.ts";
import { withHelp } from "./_help.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs } from "./_shared.ts";

export default withHelp(
  defineCommand({
    meta: { name: "lineage", description: "The data lineage & SLA document with measured freshness and completeness; OpenLineage events on request" },
    args: {
      ...globalArgs,
      out: { type: "string", description: "Write the document here (e.g. docs/deployment/data_lineage.md) instead of stdout", valueHint: "FILE" },
      format: {
        type: "string",
        description:
          "The document: markdown (the lineage & SLA document, default) or openlineage (NDJSON RunEvents, spec 2-0-2); or the run summary: table, json, junit, github",
        valueHint: "markdown|openlineage|table|json|junit|github",
      },
      emit: { type: "string", description: "POST every OpenLineage event to this endpoint (e.g. http://127.0.0.1:5000/api/v1/lineage)", valueHint: "URL" },
    },
    async run({ args }) {
      // --format names the document (markdown, openlineage) or, for the other output formats, the run summary.
      const raw = args.format ?? "markdown";
      const isDocument = (LINEAGE_FORMATS as readonly string[]).includes(raw);
      if (!isDocument && !isOutputFormat(raw)) {
        throw new ConfigError(
          `--format: "${raw}" is not one of ${[...LINEAGE_FORMATS, ...OUTPUT_FORMATS.filter((f) => f !== "markdown")].join(", ")}`,
          "use --format markdown or --format openlineage for the document",
        );
      }
      const inv = setup("lineage", { ...args, format: isDocument ? undefined : raw });
      const format: LineageFormat = isDocument ? (raw as LineageFormat) : "markdown";
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
      // Without --out the document is the result; with it (or with a summary format), the summary says what it holds.
      return finish(inv, result.step, args.out ? {} : { document: result.document });
    },
  }),
  {
    examples: [
      "dqctl lineage --out docs/deployment/data_lineage.md",
      "dqctl lineage --format openlineage > lineage.ndjson",
      "dqctl lineage --format openlineage --emit http://127.0.0.1:5000/api/v1/lineage",
    ],
  },
);
