import { defineCommand } from "citty";
import { ConfigError } from "../src/errors.ts";
import { writeOutputFile } from "../src/lakehouse/atomic.ts";
import { LINEAGE_FORMATS, type LineageFormat, runLineage } from "../src/lineage/index.ts";
import type { RunEvent } from "../src/lineage/openlineage.ts";
import { isOutputFormat, OUTPUT_FORMATS } from "../src/report/render/index.ts";
import type { PublisherOptions } from "../src/stream/publisher.ts";
import { withHelp } from "./_help.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs } from "./_shared.ts";

/** Every event through the run's publisher (an HTTP endpoint: POST each; a broker: subject <prefix>.lineage); a failure is exit 3. */
async function sendLineage(events: readonly RunEvent[], o: PublisherOptions): Promise<number> {
  const { openPublisher } = await import("../src/stream/publisher.ts");
  const { lineageStreamEvents } = await import("../src/stream/events.ts");
  const p = await openPublisher(o);
  try {
    return (await p.publish(lineageStreamEvents(events, o.prefix ?? "dqctl"))).published;
  } finally {
    await p.close();
  }
}

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
      emit: {
        type: "string",
        description:
          "Send every recorded run's OpenLineage events: POST to an http(s) endpoint, or publish to nats://host:port (JetStream, subject dqctl.lineage)",
        valueHint: "URL",
      },
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
      const result = await runLineage(inv.ctx, format);
      if (inv.emit) {
        const sent = await sendLineage(result.events, inv.emit);
        inv.consola.info(`lineage: sent ${sent} OpenLineage events to ${inv.emit.url}`);
        result.step.counts.emitted = sent;
      }
      if (args.out) {
        writeOutputFile(args.out, result.document);
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
      "dqctl lineage --format openlineage --emit nats://127.0.0.1:4222",
    ],
  },
);
