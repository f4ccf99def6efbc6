// `import x from "file.wasm" with { type: "file" }` yields a path (embedded in compiled binaries).
declare module "*.wasm" {
  const path: string;
  export default path;
}
