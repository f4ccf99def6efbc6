// Bun (and `bun build --compile`): the WASM file is embedded in the executable and read from its virtual FS.
import { readFileSync } from "node:fs";
import wasmPath from "parquet-wasm/esm/parquet_wasm_bg.wasm" with { type: "file" };

/** The parquet-wasm module bytes. */
export function parquetWasmBytes(): Uint8Array {
  return readFileSync(wasmPath);
}
