import * as v from "valibot";
import { ConfigError } from "../errors.ts";
import { parseJsonFile } from "../lakehouse/catalog.ts";
import { parseSymbol, parseSymbolList, type SymbolId } from "../model/symbol.ts";

const CandidateSchema = v.looseObject({
  symbol: v.string(),
  exchange: v.optional(v.string()),
  profile: v.optional(v.string()),
  asset_type: v.optional(v.string()),
  direction: v.optional(v.string()),
  metadata: v.optional(v.record(v.string(), v.unknown())),
});
const CandidatesFile = v.union([v.array(CandidateSchema), v.looseObject({ candidates: v.array(CandidateSchema) })]);

export type Candidate = v.InferOutput<typeof CandidateSchema>;

/** Read candidates.json (an array, or `{candidates: [...]}`), validating each symbol. */
export function readCandidates(path: string): { candidates: Candidate[]; symbols: SymbolId[] } {
  const doc = parseJsonFile(path, CandidatesFile, "write a JSON array of {symbol, exchange, profile, …} (as `dqctl scan` does)");
  const candidates = Array.isArray(doc) ? doc : doc.candidates;
  const seen = new Set<string>();
  const symbols: SymbolId[] = [];
  candidates.forEach((c, i) => {
    const raw = c.symbol.includes(":") || !c.exchange ? c.symbol : `${c.exchange}:${c.symbol}`;
    let sym: SymbolId;
    try {
      sym = parseSymbol(raw);
    } catch (err) {
      throw new ConfigError(`${path}: candidate ${i}: ${(err as Error).message}`, "fix or remove that candidate");
    }
    if (!seen.has(sym.id)) {
      seen.add(sym.id);
      symbols.push(sym);
    }
  });
  return { candidates, symbols };
}

/** Symbols from --symbols or --candidates (one is required when `required`). */
export function selectSymbols(flags: { symbols?: string; candidates?: string }, required: boolean): SymbolId[] | undefined {
  if (flags.symbols && flags.candidates) throw new ConfigError("pass --symbols or --candidates, not both");
  if (flags.symbols) return parseSymbolList(flags.symbols);
  if (flags.candidates) return readCandidates(flags.candidates).symbols;
  if (required) throw new ConfigError("no symbols given", "pass --symbols A,B or --candidates FILE");
  return undefined;
}
