// The hidden folder a snapshot is built in, named after its writer so a killed writer's leftovers can be swept.
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, lstatSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Logger } from "../context.ts";

// `.<run-id>.tmp-<host>-<pid>-<rand>`: host is a short hash of this machine's name (a pid means nothing elsewhere).
const TMP_NAME = /^\.([A-Za-z0-9._-]+)\.tmp-([0-9a-f]{8})-([1-9][0-9]*)-([0-9a-f]{8})$/;

/** This machine's 8-hex-digit tag in temp folder names. */
export function hostTag(): string {
  return createHash("sha256").update(hostname()).digest("hex").slice(0, 8);
}

/** The temp folder name a snapshot of `runId` by process `pid` on this host uses. */
export function tmpFolderName(runId: string, pid = process.pid): string {
  return `.${runId}.tmp-${hostTag()}-${pid}-${randomBytes(4).toString("hex")}`;
}

/** Create this process's temp folder for `runId` under `outDir` (world-readable, like the run folder it becomes). */
export function makeTmpFolder(outDir: string, runId: string): string {
  const dir = join(outDir, tmpFolderName(runId));
  mkdirSync(dir); // not recursive: an existing folder of that name is an error, never shared
  chmodSync(dir, 0o755);
  return dir;
}

/** Whether process `pid` may be alive on this host: only ESRCH ("no such process") proves it dead. */
export function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive but not ours; anything else (a runtime without signal 0) is not proof of death either.
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * Remove temp folders in `outDir` left by snapshot writers that died on this host. Only real folders (never a
 * symlink) named exactly as dqctl names them, written on this host by a pid that is no longer alive, are removed.
 * Returns the names removed; a folder that cannot be removed is reported through `log` and left.
 */
export function sweepDeadTmpFolders(outDir: string, log: Logger): string[] {
  let names: string[];
  try {
    names = readdirSync(outDir);
  } catch {
    return []; // no output folder yet: nothing to sweep
  }
  const host = hostTag();
  const removed: string[] = [];
  for (const name of names) {
    const m = TMP_NAME.exec(name);
    if (!m || m[2] !== host) continue;
    const pid = Number(m[3]);
    if (!Number.isSafeInteger(pid) || pidAlive(pid)) continue;
    const path = join(outDir, name);
    try {
      if (!lstatSync(path).isDirectory()) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(name);
      log.info(`snapshot: removed ${path}, left by snapshot process ${pid} that is no longer running`);
    } catch (err) {
      log.warn(`snapshot: could not remove ${path} left by dead process ${pid} (${(err as NodeJS.ErrnoException).code ?? "error"}); remove it by hand`);
    }
  }
  return removed;
}
