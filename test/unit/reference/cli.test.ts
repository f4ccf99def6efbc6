import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO, DEMO_NOW, tempDir } from "../../helpers/cli.ts";
import { dq } from "../lineage/_helpers.ts";

const { dir, cleanup } = tempDir("dqctl-reference-cli-");
afterAll(() => cleanup());

let n = 0;
/** A fresh working folder with `config/reference/<files>`. */
function project(files: Record<string, unknown>): string {
  const cwd = join(dir, `p${n++}`);
  mkdirSync(join(cwd, "config/reference"), { recursive: true });
  for (const [name, body] of Object.entries(files)) writeFileSync(join(cwd, "config/reference", name), typeof body === "string" ? body : JSON.stringify(body));
  return cwd;
}

const GOOD = {
  "instruments.json": { "LSE:VOD": { calendar: "nyse", assetClass: "equity", tickers: { yahoo: "VOD.L" }, tickSize: 0.02 } },
  "sessions.json": { equity: { timezone: "America/New_York", open: "09:30", close: "16:00" } },
  "holidays.json": { equity: { closed: ["2026-01-09"] } },
};

describe("dqctl reference check", () => {
  test("valid files: exit 0, one line per file", async () => {
    const cwd = project(GOOD);
    const r = await dq(["reference", "check"], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("config/reference/instruments.json (1 instruments)");
    expect(r.stdout).toContain("3 of 3 files valid");
    const j = await dq(["reference", "check", "--json"], cwd);
    expect(j.json()).toMatchObject({ command: "reference check", exitCode: 0, counts: { files: 3, instruments: 1 }, reference: { instruments: ["LSE:VOD"] } });
  });

  test("--reference-dir checks another folder", async () => {
    const cwd = project({});
    const other = join(cwd, "elsewhere");
    mkdirSync(other);
    writeFileSync(join(other, "instruments.json"), JSON.stringify(GOOD["instruments.json"]));
    const r = await dq(["reference", "check", "--reference-dir", other], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("1 of 3 files valid");
    const missing = await dq(["reference", "check", "--reference-dir", join(cwd, "nope")], cwd);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("reference folder not found");
  });

  test.each([
    ["instruments.json", { "LSE:VOD": { tickSize: -1 } }, ["instruments.json", "key LSE:VOD", "field tickSize"]],
    ["instruments.json", { "LSE:VOD": { profile: "bonds" } }, ["instruments.json", "key LSE:VOD", "field profile"]],
    ["instruments.json", "{ not json", ["instruments.json", "malformed JSON"]],
    ["sessions.json", { equity: { open: "9.30" } }, ["sessions.json", "field equity.open"]],
    ["sessions.json", { equity: { timezone: "Mars/Olympus" } }, ["sessions.json", "field equity.timezone"]],
    ["holidays.json", { equity: { closed: ["2026-13-40"] } }, ["holidays.json", "field equity.closed"]],
    ["holidays.json", { crypto: { closed: ["2026-01-01"] } }, ["holidays.json", "field crypto"]],
  ])("an invalid %s is exit 3 with one line naming file and field (%j)", async (file, body, parts) => {
    const cwd = project({ ...GOOD, [file]: body });
    const r = await dq(["reference", "check"], cwd);
    expect(r.code).toBe(3);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    for (const p of parts) expect(lines[0]).toContain(p);
  });

  test("every command refuses invalid reference data the same way", async () => {
    const cwd = project({ "instruments.json": { "LSE:VOD": { tickSize: "small" } } });
    const r = await dq(["lineage", "--lakehouse", cwd], cwd);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("instruments.json: key LSE:VOD: field tickSize");
  });
});

describe("reference instruments in the pipeline", () => {
  test("an exchange dqctl does not know is an unknown_calendar finding until instruments.json gives its calendar", async () => {
    const src = join(dir, "source");
    mkdirSync(src, { recursive: true });
    copyFileSync(join(DEMO, "NYSE_JPM_1d.csv"), join(src, "XYZ_VOD_1d.csv"));
    const args = ["ingest", "--source", src, "--symbols", "XYZ:VOD", "--now", DEMO_NOW, "--lakehouse", "lh", "--json", "--fail-on-quality"];

    const bare = await dq(args, project({}));
    expect(bare.code).toBe(2);
    const f = bare.json().findings.find((x: { code: string }) => x.code === "unknown_calendar");
    expect(f).toMatchObject({ severity: "error", symbol: "XYZ:VOD" });
    expect(f.message).toContain('unknown exchange "XYZ"');
    expect(f.details.advice).toContain('instruments["XYZ:VOD"].calendar');

    const cwd = project({ "instruments.json": { "XYZ:VOD": { calendar: "XNYS" } } });
    const r = await dq(args.slice(0, -1), cwd);
    expect(r.code).toBe(0);
    expect(r.json().symbols[0]).toMatchObject({ symbol: "XYZ:VOD", profile: "equity" });
  });
});
