// Progress people can follow: a live line on a TTY that log lines do not break; plain lines every ~10 s or 10 %
// off a TTY; log timestamps in ISO UTC whatever the time zone.
import { describe, expect, test } from "bun:test";
import { createLogger, createProgress, formatLog, type Sink, shortDuration, stderrUi } from "../../../commands/_progress.ts";

function sink(tty: boolean): Sink & { out: string } {
  const s = { out: "", isTTY: tty, columns: 100, write: (t: string) => (s.out += t) };
  return s;
}

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("TTY", () => {
  test("one line redrawn in place with %, counts by outcome, rate and ETA; a warning clears it and it comes back", () => {
    const s = sink(true);
    const c = clock();
    const ui = stderrUi(s, { color: false, now: c.now });
    const log = createLogger(ui, 3);
    const p = createProgress(ui, (l) => log.info(l));
    p.start("ingest file", 10);
    for (let i = 0; i < 4; i++) {
      c.advance(500);
      p.tick(1, i === 2 ? "quarantined" : "written");
    }
    expect(ui.live).toBe("ingest file  40% ████████░░░░░░░░░░░░ 4/10 · written 3, quarantined 1 · 2.0/s · ETA 3s");
    log.warn("BINANCE:SOLUSDT 1d: toxic");
    // The warning is written on a cleared line, then the progress line is redrawn below it.
    const tail = s.out.slice(s.out.lastIndexOf("\r\x1b[2K"));
    expect(tail).toMatch(/^\r\x1b\[2K\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z WARN {2}BINANCE:SOLUSDT 1d: toxic\ningest file {2}40% /);
    for (let i = 0; i < 6; i++) {
      c.advance(500);
      p.tick(1, "failed");
    }
    p.done();
    expect(ui.live).toBeUndefined();
    expect(s.out).toContain("ingest file: 10/10 (100%), written 3, quarantined 1, failed 6, 2.0/s, in 5s\n");
    // Every frame starts by clearing the line: nothing is ever appended to a stale frame.
    expect(s.out.split("\r\x1b[2K").every((frame, i) => i === 0 || !frame.includes("\r"))).toBe(true);
  });

  test("redraws are throttled, and the line never wraps (the tally goes first)", () => {
    const s = sink(true);
    s.columns = 60;
    const c = clock();
    const ui = stderrUi(s, { color: false, now: c.now });
    const p = createProgress(ui, () => {});
    p.start("audit", 1000);
    for (let i = 0; i < 999; i++) p.tick(1, "healthy"); // no time passes: a single frame after the first
    expect(s.out.split("\r\x1b[2K").length).toBe(2);
    c.advance(1000);
    p.tick(1, "degraded");
    expect(ui.live!.length).toBeLessThanOrEqual(59);
    expect(ui.live).toContain("1000/1000");
    expect(ui.live).not.toContain("healthy");
  });
});

describe("off a TTY", () => {
  test("plain lines: the start, each tenth at most once a second, every 10 s, and the end", () => {
    const s = sink(false);
    const c = clock();
    const ui = stderrUi(s, { color: false, now: c.now });
    const lines: string[] = [];
    const p = createProgress(ui, (l) => lines.push(l));
    p.start("audit", 100);
    for (let i = 0; i < 30; i++) {
      c.advance(50); // 30 series in 1.5 s: 10 %, 20 % and 30 % are due, but a line at most once a second
      p.tick(1, "healthy");
    }
    expect(lines).toEqual(["audit: 100 series", "audit: 20/100 (20%), healthy 20, 20/s, ETA 4s"]);
    c.advance(11_000); // a slow series: a line after 10 s even within the same tenth
    p.tick(1, "stale");
    expect(lines.at(-1)).toBe("audit: 31/100 (31%), healthy 30, stale 1, 2.5/s, ETA 28s");
    p.done();
    expect(lines.at(-1)).toBe("audit: 31/100 (31%), healthy 30, stale 1, 2.5/s, in 13s");
    expect(s.out).toBe(""); // nothing drawn in place
  });

  test("a fast run logs its start and end only", () => {
    const lines: string[] = [];
    const c = clock();
    const p = createProgress(stderrUi(sink(false), { color: false, now: c.now }), (l) => lines.push(l));
    p.start("repair", 16);
    for (let i = 0; i < 16; i++) p.tick();
    p.done();
    expect(lines).toEqual(["repair: 16 series", "repair: 16/16 (100%), in 0s"]);
  });
});

describe("log lines", () => {
  test("ISO-8601 UTC timestamps, whatever TZ says", () => {
    const date = new Date("2026-11-21T06:00:00.123Z");
    const tz = process.env.TZ;
    try {
      for (const zone of ["Asia/Tokyo", "America/New_York"]) {
        process.env.TZ = zone;
        expect(formatLog({ date, type: "info", args: ["scanner demo_crypto: 7 symbols"], tag: "" }, false)).toBe(
          "2026-11-21T06:00:00.123Z INFO  scanner demo_crypto: 7 symbols",
        );
      }
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    expect(formatLog({ date, type: "warn", args: ["x"], tag: "" }, true)).toBe("\x1b[2m2026-11-21T06:00:00.123Z\x1b[22m \x1b[33mWARN \x1b[39m x");
  });

  test("durations for people", () => {
    expect([shortDuration(9_400), shortDuration(125_000), shortDuration(3_720_000)]).toEqual(["9s", "2m05s", "1h02m"]);
  });
});
