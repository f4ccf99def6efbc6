// The PostgreSQL store URL: what the client gets, what is shown (never the password), and the pushdown switch.
import { describe, expect, test } from "bun:test";
import { parsePgUrl } from "../../../src/store/postgres/url.ts";

describe("PostgreSQL store URL", () => {
  test("defaults: port 5432, schema dqctl, pushdown off; the location has no password", () => {
    const t = parsePgUrl("postgres://dq:s3cret@db.example:6543/market");
    expect(t).toMatchObject({ host: "db.example", port: 6543, database: "market", user: "dq", password: "s3cret", schema: "dqctl", pushdown: false });
    expect(t.location).toBe("postgres://dq@db.example:6543/market");
  });

  test("pushdown=on turns the SQL checks on; it is a reading mode, not part of where the store is", () => {
    const t = parsePgUrl("postgres://dq@db/market?schema=desk&pushdown=on");
    expect([t.schema, t.pushdown, t.location]).toEqual(["desk", true, "postgres://dq@db/market?schema=desk"]);
    expect(parsePgUrl("postgres://dq@db/market?pushdown=off").pushdown).toBe(false);
  });

  test("a bad pushdown value or an unknown parameter is refused, naming it, without the password", () => {
    expect(() => parsePgUrl("postgres://dq:s3cret@db/market?pushdown=yes")).toThrow(/pushdown=yes: write pushdown=on or pushdown=off/);
    expect(() => parsePgUrl("postgres://dq:s3cret@db/market?sslmode=require")).toThrow(/unknown parameter sslmode: only schema= and pushdown= are read/);
    try {
      parsePgUrl("postgres://dq:s3cret@db/market?pushdown=yes");
    } catch (err) {
      expect(String((err as Error).message)).not.toContain("s3cret");
    }
  });
});
