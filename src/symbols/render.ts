// The symbol catalog as people read it: one aligned line per version (`dqctl symbols`); --json prints the rows.
import type { SymbolRow } from "../pipeline/symbols.ts";

const COLUMNS = ["symbol", "name", "type", "exchange", "currency", "sector", "industry", "status", "valid_from", "valid_to"] as const;
const day = (t: string | null) => (t === null ? "current" : t.replace(":00.000Z", "Z"));
const cells = (r: SymbolRow) => [
  r.symbol,
  r.description ?? r.name ?? "",
  [r.type, r.subtype].filter(Boolean).join("/"),
  r.exchange ?? "",
  r.currency ?? "",
  r.sector ?? "",
  r.industry ?? "",
  r.status,
  day(r.validFrom),
  day(r.validTo),
];

/** Aligned columns; `asOf` null: the whole history. */
export function symbolsTable(rows: readonly SymbolRow[], asOf: string | null, unknown: readonly string[]): string {
  const note = unknown.length ? `not in the catalog${asOf ? ` on ${asOf}` : ""}: ${unknown.join(", ")}\n` : "";
  if (!rows.length) return `${note}no symbol metadata ${asOf ? `known on ${asOf}` : "recorded"}: \`dqctl scan\` with a tradingview scanner records it\n`;
  const all = [[...COLUMNS], ...rows.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const lines = all.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd(),
  );
  return `${asOf ? `as of ${asOf}\n` : ""}${lines.join("\n")}\n${note}`;
}
