// The lakehouse's outbox: `outbox/pending.jsonl`, one event per line, appended with O_APPEND and fsynced under a short
// lock. A flush first renames it to `flushing-<stamp>.jsonl` (new events start a fresh pending file), then sends that
// file's events in batches, recording in `flushing-<stamp>.sent` how many were acknowledged, and deletes both when
// done. A crash anywhere leaves either unsent lines or a count to resume from; a torn last line (a killed append)
// is skipped: that append never returned.

import { Buffer } from "node:buffer";
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { LockError } from "../errors.ts";
import type { StreamEvent } from "../stream/events.ts";
import { type Appended, FLUSH_BATCH, type Flushed, type Outbox } from "../stream/outbox.ts";
import { syncDir, writeFileAtomic } from "./atomic.ts";
import { pidGone } from "./lock-holder.ts";

const PENDING = "pending.jsonl";
const FLUSHING = /^flushing-(\d+-\d+)\.jsonl$/;

/** The outbox of the lakehouse at `root`, bounded to `maxBytes`. */
export class FileOutbox implements Outbox {
  readonly location: string;

  constructor(
    root: string,
    private readonly maxBytes: number,
  ) {
    this.location = join(root, "outbox");
  }

  async append(events: readonly StreamEvent[]): Promise<Appended> {
    mkdirSync(this.location, { recursive: true });
    const release = await lock(join(this.location, "append.lock"), 10_000);
    try {
      let bytes = this.heldBytes();
      const path = join(this.location, PENDING);
      let text = tornTail(path) ? "\n" : "";
      let appended = 0;
      for (const e of events) {
        const line = `${JSON.stringify(e)}\n`;
        const n = Buffer.byteLength(line);
        if (bytes + n > this.maxBytes) break;
        text += line;
        bytes += n;
        appended++;
      }
      if (text) {
        const fd = openSync(path, "a");
        try {
          writeSync(fd, text);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        syncDir(this.location);
      }
      return { appended, refused: events.length - appended, bytes, maxBytes: this.maxBytes };
    } finally {
      release();
    }
  }

  async flush(send: (batch: readonly StreamEvent[]) => Promise<void>): Promise<Flushed> {
    if (!existsSync(this.location)) return { sent: 0, left: 0 };
    const release = await lock(join(this.location, "flush.lock"), 0);
    if (!release) return { sent: 0, left: await this.pending(), busy: true };
    let sent = 0;
    try {
      for (;;) {
        const file = (await this.claimFile()) ?? undefined;
        if (!file) return { sent, left: 0 };
        const events = readEvents(join(this.location, `${file}.jsonl`));
        const sentPath = join(this.location, `${file}.sent`);
        let done = existsSync(sentPath) ? Number(readFileSync(sentPath, "utf8")) || 0 : 0;
        while (done < events.length) {
          const batch = events.slice(done, done + FLUSH_BATCH);
          try {
            await send(batch);
          } catch (err) {
            return { sent, left: await this.pending(), error: err as Error };
          }
          done += batch.length;
          sent += batch.length;
          writeFileAtomic(sentPath, String(done));
        }
        // The events first, then the count: a count left without its file is only removed by the next flush.
        unlinkSync(join(this.location, `${file}.jsonl`));
        unlinkQuietly(sentPath);
        syncDir(this.location);
      }
    } finally {
      release();
    }
  }

  async pending(): Promise<number> {
    if (!existsSync(this.location)) return 0;
    let n = 0;
    for (const f of this.files()) {
      const events = readEvents(join(this.location, f));
      const m = FLUSHING.exec(f);
      const sentPath = m ? join(this.location, `flushing-${m[1]}.sent`) : undefined;
      const done = sentPath && existsSync(sentPath) ? Number(readFileSync(sentPath, "utf8")) || 0 : 0;
      n += Math.max(0, events.length - done);
    }
    return n;
  }

  /** The oldest file being flushed, or the pending file renamed into one (under the append lock); none: empty. */
  private async claimFile(): Promise<string | undefined> {
    for (const f of readdirSync(this.location).sort()) {
      if (f.endsWith(".sent") && !existsSync(join(this.location, f.replace(/\.sent$/, ".jsonl")))) unlinkQuietly(join(this.location, f));
    }
    const waiting = readdirSync(this.location)
      .filter((f) => FLUSHING.test(f))
      .sort(byStamp);
    if (waiting.length) return waiting[0]!.replace(/\.jsonl$/, "");
    const path = join(this.location, PENDING);
    if (!existsSync(path) || statSync(path).size === 0) return undefined;
    const release = await lock(join(this.location, "append.lock"), 10_000);
    try {
      const name = `flushing-${Date.now()}-${process.pid}`;
      renameSync(path, join(this.location, `${name}.jsonl`));
      syncDir(this.location);
      return name;
    } finally {
      release();
    }
  }

  private files(): string[] {
    return readdirSync(this.location).filter((f) => f === PENDING || FLUSHING.test(f));
  }

  private heldBytes(): number {
    let bytes = 0;
    for (const f of this.files()) bytes += statSync(join(this.location, f)).size;
    return bytes;
  }
}

function byStamp(a: string, b: string): number {
  const ka = FLUSHING.exec(a)![1]!.split("-").map(Number);
  const kb = FLUSHING.exec(b)![1]!.split("-").map(Number);
  return ka[0]! - kb[0]! || ka[1]! - kb[1]!;
}

/** The events of one outbox file, in order; a torn or foreign line is skipped. */
function readEvents(path: string): StreamEvent[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  const out: StreamEvent[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      const e = JSON.parse(line) as StreamEvent;
      if (typeof e?.subject === "string" && typeof e.id === "string") out.push(e);
    } catch {
      /* a torn line: its append never returned */
    }
  }
  return out;
}

/** True when the file ends inside a line (a killed append): the next append starts on a new line. */
function tornTail(path: string): boolean {
  try {
    const size = statSync(path).size;
    if (size === 0) return false;
    const fd = openSync(path, "r");
    try {
      const b = Buffer.alloc(1);
      readSync(fd, b, 0, 1, size - 1);
      return b[0] !== 0x0a;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

/**
 * A lock file holding the owner's pid, taken by exclusive create; one whose owner died is taken over. Waits up to
 * `waitMs` (0: does not wait; returns undefined when held). With a wait, a lock still held past it is an error.
 */
async function lock(path: string, waitMs: 0): Promise<(() => void) | undefined>;
async function lock(path: string, waitMs: number): Promise<() => void>;
async function lock(path: string, waitMs: number): Promise<(() => void) | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => unlinkQuietly(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const pid = Number(readFileQuietly(path));
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidGone(pid)) {
      unlinkQuietly(path); // its owner died: take it over
      continue;
    }
    if (waitMs === 0) return undefined;
    if (Date.now() >= deadline) throw new LockError(`outbox lock ${path} is held by pid ${pid || "?"}`, "retry when that run has finished");
    await new Promise((r) => setTimeout(r, 20));
  }
}

function readFileQuietly(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
