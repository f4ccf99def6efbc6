/**
 * Reading an input file safely: only regular files, up to a size cap.
 *
 * A FIFO or a device named like an input would hang the read or grow it without bound (`/dev/zero`), so
 * anything but a regular file is refused before it is read: by lstat first, then by fstat on a descriptor
 * opened with O_NONBLOCK (a FIFO swapped in between cannot block the open, and the fstat sees what was
 * actually opened). A symlink is followed only when it resolves to a regular file.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats, statSync } from "node:fs";
import { InputError } from "../../errors.ts";

/** The default per-file cap (2 GiB); `vendors.file.maxFileBytes` in the config overrides it. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 ** 3;

const ADVICE = "point --source at regular files (a symlink is followed only to a regular file)";

function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

/** Human size: `3.1 GiB`, `12 MiB`, `512 bytes`. */
export function formatBytes(n: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}

function tooBig(path: string, size: number, maxBytes: number): InputError {
  return new InputError(
    `${path}: ${formatBytes(size)} is over the file vendor's per-file cap of ${formatBytes(maxBytes)}`,
    "split the file, or raise vendors.file.maxFileBytes in the config",
  );
}

function statOrThrow(path: string, follow: boolean): Stats {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && follow) throw new InputError(`${path}: symlink to a missing file`, ADVICE, { cause: err });
    if (code === "ENOENT") throw new InputError(`${path}: file not found`, "check the --source path", { cause: err });
    if (code === "ELOOP") throw new InputError(`${path}: symlink loop`, ADVICE, { cause: err });
    throw new InputError(`${path}: cannot stat (${code ?? (err as Error).message})`, "check the path exists and is readable", { cause: err });
  }
}

/** Refuse anything but a regular file, or a symlink resolving to one, before it is opened; returns its stats. */
export function assertRegularFile(path: string): Stats {
  const st = statOrThrow(path, false);
  if (st.isSymbolicLink()) {
    const target = statOrThrow(path, true);
    if (!target.isFile()) throw new InputError(`${path}: symlink to ${kindOf(target)}, not a regular file`, ADVICE);
    return target;
  }
  if (!st.isFile()) throw new InputError(`${path}: ${kindOf(st)}, not a regular file`, ADVICE);
  return st;
}

/** Read a whole regular file of at most `maxBytes`; FIFOs, devices, sockets, directories and larger files are InputErrors. */
export function readRegularFile(path: string, maxBytes: number): Uint8Array {
  const seen = assertRegularFile(path);
  if (seen.size > maxBytes) throw tooBig(path, seen.size, maxBytes);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: cannot open (${code ?? (err as Error).message})`, "check the file is readable", { cause: err });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError(`${path}: ${kindOf(st)}, not a regular file`, ADVICE);
    if (st.size > maxBytes) throw tooBig(path, st.size, maxBytes);
    // Read exactly the size fstat saw: a file still growing is read up to that point, never without bound.
    const buf = new Uint8Array(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === buf.length ? buf : buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/** Decode UTF-8 (BOM dropped); a file too large to hold as one string is an InputError, not a crash. */
export function utf8Text(bytes: Uint8Array, path: string): string {
  try {
    return new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, "");
  } catch (err) {
    throw new InputError(
      `${path}: ${formatBytes(bytes.length)} cannot be decoded as one text (${(err as Error).message})`,
      "split the file into smaller ones",
      { cause: err },
    );
  }
}
