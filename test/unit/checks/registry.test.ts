// The one registry of finding codes: every code the sources can emit is in it, and every check reads exactly the
// options its record declares, with the declared defaults (so `dqctl explain` and the config validator tell the truth).
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { calendarFor } from "../../../src/calendar/index.ts";
import { ALL_CHECKS, CODES, CONFIGURABLE_CODES } from "../../../src/checks/registry.ts";
import { qualityFinding } from "../../../src/checks/status.ts";
import type { CheckOptions } from "../../../src/checks/types.ts";
import { ERROR_CODES } from "../../../src/errors.ts";
import { takeRows } from "../../../src/model/bars.ts";
import { PROFILES } from "../../../src/model/profile.ts";
import { makeBars, makeInput } from "../../helpers/bars.ts";
import { ROOT } from "../../helpers/cli.ts";

type Read = { key: string; dflt: unknown };

function recorder(reads: Read[]): CheckOptions {
  const self: CheckOptions = {
    enabled: true,
    severity: (d) => d,
    number: (key, dflt) => (reads.push({ key, dflt }), dflt),
    numbers: (key, dflt) => (reads.push({ key, dflt }), dflt),
    strings: (key, dflt) => (reads.push({ key, dflt }), dflt),
    has: () => false,
    at: () => self,
    scope: () => self,
  };
  return self;
}

/** A daily series with a gap (day 10 removed), a stalled end and lag behind "now", so every check reads its options. */
function busyInput(profile: (typeof PROFILES)[number]) {
  const closes = Array.from({ length: 40 }, (_, i) => (i < 35 ? 100 + Math.sin(i) * 3 : 100));
  const all = makeBars(closes, { start: "2024-01-01", volume: closes.map((_, i) => 1000 + i) });
  const bars = takeRows(
    all,
    closes.map((_, i) => i).filter((i) => i !== 10),
  );
  // A tick size, so off_tick judges the prices (sin-wave closes are off a 0.01 grid) and reads its options too.
  return {
    ...makeInput(bars, { profile, symbol: "BINANCE:XRPUSDT", calendar: calendarFor(profile), nowMs: Date.parse("2024-02-20T00:00:00Z") }),
    tickSize: 0.01,
  };
}

describe("check registry", () => {
  test("codes are unique and every record is complete", () => {
    expect(new Set(CODES.map((c) => c.code)).size).toBe(CODES.length);
    for (const c of CODES) {
      expect(c.rule.length).toBeGreaterThan(10);
      expect(c.severity).toMatch(/warning|error/);
      expect(c.example.length).toBeGreaterThan(5);
      if (!c.configurable) expect(c.notConfigurable).toBeTruthy();
      for (const o of Object.values(c.options)) expect(o.default !== undefined || o.defaultText !== undefined).toBe(true);
    }
  });

  test("each check reads only declared options, with the declared defaults, and reads every option it declares", () => {
    for (const check of ALL_CHECKS) {
      const reads: Read[] = [];
      for (const p of check.code === "stale" ? PROFILES : (["crypto"] as const)) check.run(busyInput(p), recorder(reads));
      const declared = check.meta.options;
      for (const r of reads) {
        expect({ check: check.code, key: r.key, declared: r.key in declared }).toEqual({ check: check.code, key: r.key, declared: true });
        const d = declared[r.key]!.default;
        if (d !== undefined) expect({ check: check.code, key: r.key, dflt: r.dflt }).toEqual({ check: check.code, key: r.key, dflt: d });
      }
      expect(new Set(reads.map((r) => r.key))).toEqual(new Set(Object.keys(declared)));
    }
    const reads: Read[] = [];
    qualityFinding({ symbol: "X:Y", interval: "1d" }, 0.5, recorder(reads));
    const q = CODES.find((c) => c.code === "quality_score")!;
    expect(reads).toEqual(Object.entries(q.options).map(([key, o]) => ({ key, dflt: o.default })));
  });

  test("every finding code the sources can emit is registered", () => {
    const emitted = new Set<string>();
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith(".ts")) {
          const text = readFileSync(p, "utf8");
          for (const re of [/finding\([a-z]+, "([a-z_]+)"/g, /\bcode: "([a-z_]+)"/g, /\berr\("([a-z_]+)"/g])
            for (const m of text.matchAll(re)) emitted.add(m[1]!);
        }
      }
    };
    walk(join(ROOT, "src"));
    expect(emitted.size).toBeGreaterThan(20);
    // Error items (errors[]) carry codes of their own; they are not findings.
    const known = new Set<string>([...CODES.map((c) => c.code), ...ERROR_CODES]);
    expect([...emitted].filter((c) => !known.has(c))).toEqual([]);
    expect(CONFIGURABLE_CODES).toContain("gap");
    expect(CONFIGURABLE_CODES).not.toContain("snapshot_changed");
  });
});
