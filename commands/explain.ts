import { defineCommand } from "citty";
import { RENAMED_CODES } from "../src/bootstrap/codes.ts";
import { CODES, type CodeInfo, codeInfo } from "../src/checks/registry.ts";
import { OPTION_PRECEDENCE, type OptionMeta } from "../src/checks/types.ts";
import { ConfigError } from "../src/errors.ts";
import { describeRange } from "../src/model/parse.ts";
import { suggestion } from "../src/suggest.ts";
import { withHelp } from "./_help.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs } from "./_shared.ts";

function defaultOf(o: OptionMeta): string {
  if (o.default === undefined) return o.defaultText ?? "-";
  return Array.isArray(o.default) ? o.default.join(", ") : String(o.default);
}

/** A config snippet that sets the first option (or the severity) of `c`. */
function snippet(c: CodeInfo): string {
  const first = Object.entries(c.options).find(([, o]) => typeof o.default === "number");
  const body = first ? { [first[0]]: first[1].default } : { severity: "warning" };
  return JSON.stringify({ checks: { [c.code]: body } });
}

/** The same option set for one class and one interval within it. */
function scopedSnippet(c: CodeInfo): string {
  const first = Object.entries(c.options).find(([, o]) => typeof o.default === "number");
  const body = first ? { [first[0]]: first[1].default } : { severity: "warning" };
  return JSON.stringify({ checks: { [c.code]: { byClass: { crypto: { byInterval: { "1m": body } } }, bySymbol: { "NYSE:AAPL": { severity: "off" } } } } });
}

function render(c: CodeInfo): string {
  const out = [`${c.code} — ${c.rule}`, "", `default severity  ${c.severity}`, `reported by       ${c.reportedBy}`];
  if (!c.configurable) out.push(`configuration     none: ${c.notConfigurable}`);
  else {
    out.push("", `OPTIONS (checks.${c.code}.* in dqctl.config.json or .yaml)`);
    const rows: [string, string, string][] = [["severity", "-", "warning, error or off (off disables it)"]];
    for (const [k, o] of Object.entries(c.options))
      rows.push([k, defaultOf(o), `${o.description}${Array.isArray(o.default) ? " (a list of strings)" : ` (${describeRange(o)})`}`]);
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(7, ...rows.map((r) => r[1].length));
    out.push(`  ${"option".padEnd(w0)}  ${"default".padEnd(w1)}  meaning`);
    for (const [k, d, m] of rows) out.push(`  ${k.padEnd(w0)}  ${d.padEnd(w1)}  ${m}`);
    out.push("", "SCOPES (the last line that sets an option wins: symbol over class over every series; the interval's layer within each)");
    for (const line of OPTION_PRECEDENCE) out.push(`  ${line.replace("<code>", c.code)}`);
    out.push(
      "  <profile>: crypto, equity, futures, forex; <assetClass>: the instrument's assetClass (instruments.json or the config)",
      "  bootstrap's flags (--minimum-coverage, --max-age-hours, …) sit above every layer",
    );
    out.push("", "CONFIG EXAMPLE", `  ${snippet(c)}`, `  ${scopedSnippet(c)}`);
  }
  out.push("", "EXAMPLE FINDING", `  ${c.code}: ${c.example}`, "");
  return out.join("\n");
}

function list(): string {
  const w = Math.max(...CODES.map((c) => c.code.length));
  return `${CODES.map((c) => `${c.code.padEnd(w)}  ${c.rule}`).join("\n")}\n\nRun \`dqctl explain <code>\` for a code's severity, options and an example.\n`;
}

export default withHelp(
  defineCommand({
    meta: { name: "explain", description: "What a finding code means: the rule, its default severity, its options with defaults, an example" },
    args: {
      ...globalArgs,
      code: { type: "positional", description: "A finding code (e.g. gap); without one, every code is listed", valueHint: "CODE", required: false },
    },
    run({ args }) {
      const inv = setup("explain", args);
      const code = args.code;
      const renamed = code === undefined ? undefined : RENAMED_CODES[code];
      const c = code === undefined ? undefined : codeInfo(renamed?.code ?? code);
      if (code !== undefined && !c)
        throw new ConfigError(
          `unknown finding code "${code}"${suggestion(
            code,
            CODES.map((x) => x.code),
          )}`,
          "run `dqctl explain` to list the codes",
        );
      // The table format is the explanation itself; --json (or any --format) carries the records in `codes`.
      const codes = c ? [c] : CODES;
      const note = renamed ? `${code}: bootstrap's former code; it now reports ${renamed.code}, ${renamed.why}\n\n` : "";
      return finish(inv, { counts: { codes: codes.length }, symbols: [], findings: [], extra: { codes } }, { document: c ? note + render(c) : list() });
    },
  }),
  { examples: ["dqctl explain", "dqctl explain gap", "dqctl explain false_tick --json"] },
);
