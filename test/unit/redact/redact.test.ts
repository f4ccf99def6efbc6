import { afterEach, describe, expect, test } from "bun:test";
import { secretsInConfig, secretsInEnv } from "../../../src/config/secrets.ts";
import { asDqError, ConfigError, DqError, VendorError } from "../../../src/errors.ts";
import { clearSecrets, credentialsInText, redactSecrets, registerSecrets, secretCount } from "../../../src/redact.ts";
import { toJson } from "../../../src/report/summary.ts";
import { settingsFor as vendorSettings } from "../../../src/vendors/registry.ts";

afterEach(() => clearSecrets());

describe("generic URL redaction (no secret registered)", () => {
  test("credential-named query parameters", () => {
    expect(redactSecrets('[GET] "http://h/query?function=X&apikey=SECRET&symbol=IBM": fetch failed')).toBe(
      '[GET] "http://h/query?function=X&apikey=***&symbol=IBM": fetch failed',
    );
    expect(redactSecrets("http://h/fred?api_key=abc123")).toBe("http://h/fred?api_key=***");
    for (const name of ["key", "x-api-key", "token", "access_token", "authToken", "secret", "client_secret", "password", "signature", "sig"]) {
      expect(redactSecrets(`https://h/p?a=1&${name}=v4lue&b=2`)).toBe(`https://h/p?a=1&${name}=***&b=2`);
    }
    expect(redactSecrets("https://h/p?symbol=IBM&outputsize=full")).toBe("https://h/p?symbol=IBM&outputsize=full");
  });

  test("passwords in URL user-info", () => {
    expect(redactSecrets("cannot reach postgres://dq:hunter2@db:5432/x")).toBe("cannot reach postgres://dq:***@db:5432/x");
    expect(redactSecrets("redis://:s3cret@cache:6379/0 refused")).toBe("redis://:***@cache:6379/0 refused");
    expect(redactSecrets("https://host:8443/path")).toBe("https://host:8443/path");
  });
});

describe("registered secrets", () => {
  test("are replaced literally, also URL- and JSON-escaped, longest first", () => {
    registerSecrets(["k3y/with+sp ce", "abcd", "abcdefgh", "ab", undefined]);
    expect(redactSecrets("the key abcdefgh is invalid; abcd too")).toBe("the key *** is invalid; *** too");
    expect(redactSecrets(`echo: k3y%2Fwith%2Bsp%20ce and k3y%2Fwith%2Bsp+ce`)).toBe("echo: *** and ***");
    expect(redactSecrets("ab stays")).toBe("ab stays"); // too short to register
    expect(secretCount()).toBeGreaterThan(0);
  });

  test("DqError redacts message, advice, oneLine and the stack it captures", () => {
    registerSecrets(["SUPERSECRETKEY"]);
    const e = new VendorError(
      "alphavantage IBM 1d: HTTP 500 (bad call http://h/query?apikey=SUPERSECRETKEY)",
      "alphavantage",
      undefined,
      500,
      1,
      "key SUPERSECRETKEY was refused",
    );
    expect(e.message).not.toContain("SUPERSECRETKEY");
    expect(e.advice).toBe("key *** was refused");
    expect(e.oneLine()).not.toContain("SUPERSECRETKEY");
    expect(e.stack ?? "").not.toContain("SUPERSECRETKEY");
    expect(asDqError(new Error("fetch http://h/?token=SUPERSECRETKEY failed")).oneLine()).not.toContain("SUPERSECRETKEY");
  });

  test("oneLine redacts a secret registered after the error was made", () => {
    const e = new ConfigError("late LATESECRET1");
    registerSecrets(["LATESECRET1"]);
    expect(e.oneLine()).toBe("late *** — fix the flag or config value and run again");
    expect(e).toBeInstanceOf(DqError);
  });

  test("the JSON summary is redacted string by string, other values unchanged", () => {
    registerSecrets(["null-ish-SECRET"]);
    const doc = JSON.parse(toJson({ a: "x null-ish-SECRET y", n: null, b: 1n, t: true, nested: [{ m: "https://u:pw@h/" }] }));
    expect(doc).toEqual({ a: "x *** y", n: null, b: 1, t: true, nested: [{ m: "https://u:***@h/" }] });
  });
});

describe("what counts as a secret", () => {
  test("vendor key variables and credentials inside DQCTL_* URLs", () => {
    const found = secretsInEnv({
      ALPHAVANTAGE_API_KEY: "av-key-1",
      FRED_API_KEY: "fred-key-1",
      TRADINGVIEW_AUTH_TOKEN: "tv-tok-1",
      DQCTL_YAHOO_BASE_URL: "https://me:pw1234@proxy/",
      HOME: "/root",
    });
    expect(found).toEqual(expect.arrayContaining(["av-key-1", "fred-key-1", "tv-tok-1", "pw1234"]));
    expect(found).not.toContain("/root");
  });

  test("vendors.*.apiKey and URL credentials anywhere in config and flags", () => {
    const found = secretsInConfig(
      { vendors: { fred: { apiKey: "cfg-fred-key" }, yahoo: { baseUrl: "https://u:cfgpass1@h/" } }, lineage: { emit: "https://h/ol?token=emit-tok1" } },
      ["lineage", "--emit", "postgres://dq:argv%40pass@db/x"],
    );
    expect(found).toEqual(expect.arrayContaining(["cfg-fred-key", "cfgpass1", "emit-tok1", "argv%40pass", "argv@pass"]));
  });

  test("resolving a vendor's settings registers its key", () => {
    vendorSettings("fred", { config: {}, env: { FRED_API_KEY: "resolved-fred-key" } });
    expect(redactSecrets("bad key resolved-fred-key")).toBe("bad key ***");
    expect(credentialsInText("plain text")).toEqual([]);
  });
});
