/** One parsed CSV record with its 1-based line number and the offset of its first character in the text. */
export interface CsvRecord {
  line: number;
  offset: number;
  fields: string[];
}

/** Field separators a bar file may use: comma, semicolon (spreadsheets in decimal-comma locales) or tab. */
export const DELIMITERS = [",", ";", "\t"] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** The separator of a CSV, judged from its header line (outside quotes): the candidate that occurs most; comma on a tie. */
export function detectDelimiter(text: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === "\n" || ch === "\r")) break;
    else if (!inQuotes && counts.has(ch as Delimiter)) counts.set(ch as Delimiter, counts.get(ch as Delimiter)! + 1);
  }
  let best: Delimiter = ",";
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** Parse RFC 4180 CSV (quoted fields, doubled quotes, CRLF) with `delimiter` between fields. Blank lines are skipped. Throws on an unterminated quote. */
export function parseCsv(text: string, onError: (line: number, msg: string) => never, delimiter: Delimiter = ","): CsvRecord[] {
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let recordOffset = 0;
  let sawAny = false;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === "" && !sawAny)) out.push({ line: recordLine, offset: recordOffset, fields });
    fields = [];
    field = "";
    sawAny = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      inQuotes = true;
      sawAny = true;
    } else if (ch === delimiter) {
      fields.push(field);
      field = "";
      sawAny = true;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
      recordOffset = i + 1;
    } else {
      field += ch;
      sawAny = true;
    }
  }
  if (inQuotes) onError(recordLine, "unterminated quoted field");
  if (field !== "" || fields.length || sawAny) endRecord();
  return out;
}

/**
 * Where field `col` of `rec` starts in `text`: 1-based line and column (UTF-16 units, as editors count).
 * Re-scans only that record, so parsing keeps no per-field positions for the rare error message.
 */
export function fieldPosition(text: string, rec: CsvRecord, col: number, delimiter: Delimiter = ","): { line: number; column: number } {
  let line = rec.line;
  let lineStart = rec.offset;
  let field = 0;
  let inQuotes = false;
  for (let i = rec.offset; i < text.length && field < col; i++) {
    const ch = text[i]!;
    if (ch === '"')
      inQuotes = !inQuotes; // a doubled quote toggles twice: no net change
    else if (ch === "\n" && inQuotes) {
      line++;
      lineStart = i + 1;
    } else if (ch === delimiter && !inQuotes && ++field === col) return { line, column: i + 2 - lineStart };
    else if ((ch === "\n" || ch === "\r") && !inQuotes) break;
  }
  return { line, column: 1 };
}
