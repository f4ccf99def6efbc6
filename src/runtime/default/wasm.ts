// Deno and Node: the WASM file is resolved from node_modules next to the sources.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The parquet-wasm module bytes. */
export function parquetWasmBytes(): Uint8Array {
  return readFileSync(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm")));
}
