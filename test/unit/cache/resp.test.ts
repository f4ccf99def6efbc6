// RESP replies arrive in arbitrary chunks: however they are cut, the reader yields the same replies in order.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { encodeCommand, RedisReplyError, type Reply, ReplyReader } from "../../../src/cache/resp.ts";

const enc = new TextEncoder();

function encodeReply(r: Reply): string {
  if (r === null) return "$-1\r\n";
  if (r instanceof RedisReplyError) return `-${r.message}\r\n`;
  if (typeof r === "number") return `:${r}\r\n`;
  if (typeof r === "string") return `+${r}\r\n`;
  if (r instanceof Uint8Array) return `$${r.length}\r\n${new TextDecoder().decode(r)}\r\n`;
  return `*${r.length}\r\n${r.map(encodeReply).join("")}`;
}

const line = fc.string({ unit: fc.constantFrom(..."abcXYZ019 _:-") });
const reply: fc.Arbitrary<Reply> = fc.letrec<{ r: Reply }>((tie) => ({
  r: fc.oneof(
    { depthSize: "small" },
    line,
    fc.integer(),
    fc.constant(null),
    fc.string({ unit: fc.constantFrom(..."ab\r\n\0z") }).map((s) => enc.encode(s)),
    line.map((s) => new RedisReplyError(`ERR ${s}`)),
    fc.array(tie("r"), { maxLength: 4 }),
  ),
})).r;

const norm = (r: Reply): unknown =>
  r instanceof RedisReplyError ? { error: r.message } : r instanceof Uint8Array ? { bytes: [...r] } : Array.isArray(r) ? r.map(norm) : r;

describe("RESP", () => {
  test("replies split at any points parse to the replies sent, in order (property, seeded)", () => {
    fc.assert(
      fc.property(fc.array(reply, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (replies, cuts) => {
        const bytes = enc.encode(replies.map(encodeReply).join(""));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const reader = new ReplyReader();
        const got: Reply[] = [];
        let from = 0;
        for (const p of [...points, bytes.length]) {
          reader.push(bytes.slice(from, p));
          from = p;
          for (let r = reader.next(); r; r = reader.next()) got.push(r.reply);
        }
        expect(got.map(norm)).toEqual(replies.map(norm));
      }),
      { seed: 21, numRuns: 300 },
    );
  });

  test("a command is an array of bulk strings, binary-safe", () => {
    const cmd = encodeCommand(["SET", "k", new Uint8Array([0, 13, 10, 255])]);
    expect([...cmd]).toEqual([...enc.encode("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\n"), 0, 13, 10, 255, 13, 10]);
  });

  test("a byte that starts no reply is refused, not skipped", () => {
    const reader = new ReplyReader();
    reader.push(enc.encode("HTTP/1.1 400 Bad Request\r\n"));
    expect(() => reader.next()).toThrow("not a RESP reply");
  });
});
