// The same sources under Deno: `deno run -A src/cli.ts audit --json` equals the compiled binary's JSON (timestamps aside).
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertSummary, DEMO, DEMO_NOW, dqctl, ROOT, tempDir } from "../helpers/cli.ts";
import { dropStreams, NATS_URL, natsNames, natsReady, streamMessages } from "../helpers/nats.ts";

const DENO = join(ROOT, "node_modules/.bin/deno");
const VOLATILE = new Set(["runId", "startedAt", "finishedAt", "durationMs"]);

function stable(doc: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([k]) => !VOLATILE.has(k)));
}

async function deno(args: string[]) {
  const p = Bun.spawn([DENO, "run", "-A", "--quiet", join(ROOT, "src/cli.ts"), ...args], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { stdout, stderr, code };
}

const natsUp = await natsReady("runtimes: Deno on NATS");

describe("runtimes", () => {
  test("Deno and the compiled binary print the same audit JSON", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const lh = join(dir, "lakehouse");
      const ing = await dqctl([
        "ingest",
        "--source",
        DEMO,
        "--candidates",
        join(ROOT, "fixtures/demo-candidates.json"),
        "--quiet",
        "--lakehouse",
        lh,
        "--now",
        DEMO_NOW,
      ]);
      expect(ing.code).toBe(0);
      const args = ["audit", "--json", "--read-only", "--lakehouse", lh, "--now", DEMO_NOW];
      const bin = await dqctl(args);
      const den = await deno(args);
      expect(den.stderr.split("\n").filter((l) => /error/i.test(l))).toEqual([]);
      expect(den.code).toBe(bin.code);
      const a = assertSummary(JSON.parse(bin.stdout));
      const b = assertSummary(JSON.parse(den.stdout));
      expect(stable(b)).toEqual(stable(a));
      expect(a.findings.length).toBeGreaterThan(5);
    } finally {
      cleanup();
    }
  }, 120_000);

  test("Deno runs ingest (Parquet writes) and reports operational errors the same way", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const lh = join(dir, "lakehouse");
      const ok = await deno(["ingest", "--source", DEMO, "--symbols", "NASDAQ:AAPL", "--json", "--lakehouse", lh, "--now", DEMO_NOW]);
      expect(ok.code).toBe(0);
      expect(assertSummary(JSON.parse(ok.stdout)).counts.written).toBe(1);
      const bad = await deno(["audit", "--lakehouse", join(dir, "nope"), "--quiet"]);
      expect(bad.code).toBe(3);
      expect(bad.stderr.trim()).toMatch(/^dqctl: lakehouse folder not found/);
    } finally {
      cleanup();
    }
  }, 120_000);

  test.skipIf(!natsUp)(
    "Deno publishes a run's events to NATS JetStream (the same client as the binary)",
    async () => {
      const { dir, cleanup } = tempDir();
      const { stem, prefix } = natsNames("deno");
      try {
        const config = join(dir, "c.json");
        writeFileSync(config, JSON.stringify({ stream: { name: stem, prefix } }));
        const r = await deno([
          "ingest",
          "--source",
          DEMO,
          "--symbols",
          "NASDAQ:AAPL",
          "--json",
          "--lakehouse",
          join(dir, "lh"),
          "--now",
          DEMO_NOW,
          "--config",
          config,
          "--emit",
          NATS_URL,
        ]);
        expect(r.code).toBe(0);
        const s = assertSummary(JSON.parse(r.stdout)).stream;
        expect(s).toMatchObject({ transport: "nats", stream: stem, outboxed: 0 });
        expect((await streamMessages(stem)).length).toBe(s.events);
      } finally {
        await dropStreams([stem]);
        cleanup();
      }
    },
    120_000,
  );
});
