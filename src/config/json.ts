// A strict JSON reader for config files: the same grammar as JSON.parse, but a syntax error (or a repeated key,
// which JSON.parse would let the last one win silently) names its line and column, on every runtime.

/** A JSON syntax error at a 1-based line and column. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Parse `text` as JSON; throws JsonSyntaxError with the position of the first problem. */
export function parseJson(text: string): unknown {
  let i = 0;
  const fail = (msg: string, at = i): never => {
    let line = 1;
    let col = 1;
    for (let k = 0; k < at && k < text.length; k++) {
      if (text[k] === "\n") {
        line++;
        col = 1;
      } else col++;
    }
    throw new JsonSyntaxError(msg, line, col);
  };
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const shown = () => (i >= text.length ? "the end of the file" : `${JSON.stringify(text[i])}`);

  const str = (): string => {
    const start = i;
    i++; // opening quote
    let out = "";
    for (;;) {
      if (i >= text.length) return fail("unterminated string", start);
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return out;
      }
      if (ch === "\n" || ch < " ") return fail("a line break or control character inside a string (write \\n)");
      if (ch === "\\") {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          i += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else return fail(`bad escape \\${e ?? ""} in a string`);
        continue;
      }
      out += ch;
      i++;
    }
  };

  const num = (): number => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m || m[0] === "-") return fail(`unexpected ${shown()}`);
    i += m[0].length;
    return Number(m[0]);
  };

  const value = (): unknown => {
    ws();
    const ch = text[i];
    if (ch === "{") return obj();
    if (ch === "[") return arr();
    if (ch === '"') return str();
    if (ch === "-" || (ch !== undefined && ch >= "0" && ch <= "9")) return num();
    for (const [word, v] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    if (ch === "'") return fail("strings take double quotes in JSON");
    return fail(i >= text.length ? "unexpected end of the file (a value is missing)" : `unexpected ${shown()} where a value should be`);
  };

  const obj = (): Record<string, unknown> => {
    i++;
    const out: Record<string, unknown> = {};
    ws();
    if (text[i] === "}") {
      i++;
      return out;
    }
    for (;;) {
      ws();
      if (text[i] === "}") return fail('a trailing comma before "}"');
      if (text[i] !== '"') return fail(`expected a key in double quotes, found ${shown()}`);
      const at = i;
      const key = str();
      if (Object.hasOwn(out, key)) return fail(`the key ${JSON.stringify(key)} appears twice in this object`, at);
      ws();
      if (text[i] !== ":") return fail(`expected ":" after the key ${JSON.stringify(key)}, found ${shown()}`);
      i++;
      // defineProperty: a key named __proto__ stays data, as with JSON.parse.
      Object.defineProperty(out, key, { value: value(), enumerable: true, writable: true, configurable: true });
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return out;
      }
      return fail(`expected "," or "}" after the value of ${JSON.stringify(key)}, found ${shown()}`);
    }
  };

  const arr = (): unknown[] => {
    i++;
    const out: unknown[] = [];
    ws();
    if (text[i] === "]") {
      i++;
      return out;
    }
    for (;;) {
      ws();
      if (text[i] === "]") return fail('a trailing comma before "]"');
      out.push(value());
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return out;
      }
      return fail(`expected "," or "]" in a list, found ${shown()}`);
    }
  };

  const v = value();
  ws();
  if (i < text.length) fail(`unexpected ${shown()} after the end of the JSON document`);
  return v;
}
