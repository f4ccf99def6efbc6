declare module "#runtime/wasm.ts" {
  export function parquetWasmBytes(): Uint8Array;
}

declare module "#runtime/gc.ts" {
  export function collectGarbage(): void;
}

declare module "#runtime/chart.ts" {
  export function chartLibrary(): { js: string; css: string };
}
