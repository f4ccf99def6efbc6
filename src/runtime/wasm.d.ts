declare module "#runtime/wasm.ts" {
  export function parquetWasmBytes(): Uint8Array;
}
