// The compiled binary on its own: no node_modules beside it, no .env or bunfig.toml autoloaded.
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { binaryAlone, DEMO, DEMO_NOW, dqctl, tempDir } from "../helpers/cli.ts";

describe("dist/dqctl", () => {
  test("runs from a folder with no node_modules, and ignores .env and bunfig.toml there", async () => {
    const { dir, bin, cleanup } = binaryAlone();
    try {
      writeFileSync(join(dir, ".env"), "DQCTL_LAKEHOUSE=from-dotenv\n");
      writeFileSync(join(dir, "bunfig.toml"), 'preload = ["./boom.ts"]\n');
      writeFileSync(join(dir, "boom.ts"), 'throw new Error("bunfig was autoloaded");\n');
      const run = (args: string[]) => {
        const p = Bun.spawnSync([bin, ...args], { cwd: dir, env: { PATH: "/usr/bin:/bin", HOME: dir, NO_COLOR: "1" } });
        return { code: p.exitCode, stdout: p.stdout.toString(), stderr: p.stderr.toString() };
      };
      expect(run(["--version"]).stdout.trim()).toBe(JSON.parse(readFileSync(join(import.meta.dir, "../../package.json"), "utf8")).version);
      const ing = run(["ingest", "--source", DEMO, "--symbols", "NASDAQ:AAPL", "--now", DEMO_NOW, "--quiet"]);
      expect(ing.stderr).toBe("");
      expect(ing.code).toBe(0);
      // The default lakehouse, not the .env value: the Parquet WASM came from inside the binary.
      expect(existsSync(join(dir, "data/lakehouse/NASDAQ_AAPL_1d.parquet"))).toBe(true);
      expect(existsSync(join(dir, "from-dotenv"))).toBe(false);
    } finally {
      cleanup();
    }
  });
});

describe("toxic data at ingest", () => {
  test("a toxic re-fetch leaves the golden file byte-identical and the quarantine holds the evidence", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const lh = join(dir, "lh");
      const src = join(dir, "src");
      mkdirSync(src);
      const clean = readFileSync(join(DEMO, "BINANCE_BTCUSDT_1d.csv"), "utf8");
      writeFileSync(join(src, "BINANCE_BTCUSDT_1d.csv"), clean);
      expect((await dqctl(["ingest", "--source", src, "--symbols", "BINANCE:BTCUSDT", "--quiet", "--lakehouse", lh, "--now", DEMO_NOW])).code).toBe(0);
      const golden = readFileSync(join(lh, "BINANCE_BTCUSDT_1d.parquet"));
      // The vendor now serves a 100× drop on the last three bars (a unit change that never comes back: structural).
      const rows = clean.trim().split("\n");
      const cut = (x: string) => String(Number(x) / 100);
      for (let k = rows.length - 3; k < rows.length; k++) {
        const f = rows[k]!.split(",");
        rows[k] = [f[0], cut(f[1]!), cut(f[2]!), cut(f[3]!), cut(f[4]!), f[5]].join(",");
      }
      writeFileSync(join(src, "BINANCE_BTCUSDT_1d.csv"), `${rows.join("\n")}\n`);
      const ingestJson = () => dqctl(["ingest", "--source", src, "--symbols", "BINANCE:BTCUSDT", "--refresh", "--json", "--lakehouse", lh, "--now", DEMO_NOW]);
      const r = await ingestJson();
      expect(r.code).toBe(0);
      const doc = r.json();
      expect(doc.counts.quarantined).toBe(1);
      const tr = doc.findings.find((f: any) => f.code === "toxic_return");
      expect(tr.severity).toBe("error");
      expect(tr.details.toxic).toBe(true);
      expect(readFileSync(join(lh, "BINANCE_BTCUSDT_1d.parquet")).equals(golden)).toBe(true);
      const health = JSON.parse(readFileSync(join(lh, "foundation_health.json"), "utf8"))["BINANCE:BTCUSDT"];
      expect(health.is_toxic).toBe(true);
      const reason = JSON.parse(readFileSync(health.quarantined[0].replace(/\.parquet$/, ".reason.json"), "utf8"));
      expect(reason.reasons[0].code).toBe("toxic_return");
      expect(existsSync(health.quarantined[0])).toBe(true);
      const files = readdirSync(join(lh, "quarantine")).sort();
      // The next ingest re-judges it: the same toxic answer is quarantined again, from the same evidence file.
      const again = await ingestJson();
      expect(again.json().counts.quarantined).toBe(1);
      expect(readdirSync(join(lh, "quarantine")).sort()).toEqual(files);
      // The vendor corrects its data: the next ingest (no --force needed) finds it clean and clears the mark.
      writeFileSync(join(src, "BINANCE_BTCUSDT_1d.csv"), clean);
      const fixed = await ingestJson();
      expect(fixed.json().counts.unchanged).toBe(1);
      expect(readFileSync(join(lh, "BINANCE_BTCUSDT_1d.parquet")).equals(golden)).toBe(true);
      expect(JSON.parse(readFileSync(join(lh, "foundation_health.json"), "utf8"))["BINANCE:BTCUSDT"].is_toxic).toBe(false);
    } finally {
      cleanup();
    }
  });
});
