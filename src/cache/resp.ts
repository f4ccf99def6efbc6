// RESP2, the Redis wire protocol: what dqctl sends (arrays of bulk strings) and an incremental reader of replies.
// Small enough to own: a client library would add a dependency to the single binary for five commands.

/** One reply: a simple string, an integer, a bulk string (bytes; null when absent), an array, or a server error. */
export type Reply = string | number | Uint8Array | null | Reply[] | RedisReplyError;

/** An `-ERR …` reply: the command failed on the server (wrong password, db out of range, …). */
export class RedisReplyError extends Error {}

const enc = new TextEncoder();

/** Encode one command as a RESP array of bulk strings. */
export function encodeCommand(args: readonly (string | Uint8Array)[]): Uint8Array {
  const parts: Uint8Array[] = [enc.encode(`*${args.length}\r\n`)];
  for (const a of args) {
    const bytes = typeof a === "string" ? enc.encode(a) : a;
    parts.push(enc.encode(`$${bytes.length}\r\n`), bytes, enc.encode("\r\n"));
  }
  return concat(parts);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const dec = new TextDecoder();

/** Reads replies from a byte stream that arrives in arbitrary chunks. */
export class ReplyReader {
  // Received bytes live in `store` (grown by doubling, so a large value arriving in many chunks is copied O(n)
  // times in total, not O(n²)); the unread part is store[start, end).
  private store = new Uint8Array(0);
  private start = 0;
  private end = 0;

  /** Append received bytes. */
  push(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.store.length) {
      const live = this.end - this.start;
      if (live + chunk.length <= this.store.length / 2) this.store.copyWithin(0, this.start, this.end);
      else {
        const grown = new Uint8Array(Math.max(2 * this.store.length, live + chunk.length, 4096));
        grown.set(this.store.subarray(this.start, this.end));
        this.store = grown;
      }
      this.start = 0;
      this.end = live;
    }
    this.store.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The next complete reply, or undefined when more bytes are needed. Malformed input throws. */
  next(): { reply: Reply } | undefined {
    const r = parse(this.store.subarray(this.start, this.end), 0);
    if (!r) return undefined;
    this.start += r.end;
    return { reply: r.reply };
  }
}

function line(buf: Uint8Array, at: number): { text: string; end: number } | undefined {
  const cr = buf.indexOf(13, at);
  if (cr < 0 || cr + 1 >= buf.length) return undefined;
  if (buf[cr + 1] !== 10) throw new Error("not a RESP reply (CR without LF)");
  return { text: dec.decode(buf.subarray(at, cr)), end: cr + 2 };
}

function parse(buf: Uint8Array, at: number): { reply: Reply; end: number } | undefined {
  if (at >= buf.length) return undefined;
  const type = buf[at]!;
  const l = line(buf, at + 1);
  if (!l) return undefined;
  switch (type) {
    case 0x2b: // +
      return { reply: l.text, end: l.end };
    case 0x2d: // -
      return { reply: new RedisReplyError(l.text), end: l.end };
    case 0x3a: // :
      return { reply: integer(l.text), end: l.end };
    case 0x24: {
      // $ bulk string
      const n = integer(l.text);
      if (n < 0) return { reply: null, end: l.end };
      if (l.end + n + 2 > buf.length) return undefined;
      return { reply: buf.slice(l.end, l.end + n), end: l.end + n + 2 };
    }
    case 0x2a: {
      // * array
      const n = integer(l.text);
      if (n < 0) return { reply: null, end: l.end };
      const items: Reply[] = [];
      let end = l.end;
      for (let i = 0; i < n; i++) {
        const item = parse(buf, end);
        if (!item) return undefined;
        items.push(item.reply);
        end = item.end;
      }
      return { reply: items, end };
    }
    default:
      throw new Error(`not a RESP reply (first byte 0x${type.toString(16)})`);
  }
}

function integer(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new Error(`not a RESP integer: ${JSON.stringify(text.slice(0, 20))}`);
  return Number(text);
}
