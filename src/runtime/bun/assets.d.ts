// `import x from "file.wasm" with { type: "file" }` yields a path (embedded in compiled binaries).
declare module "*.wasm" {
  const path: string;
  export default path;
}

// The same for uPlot's script and stylesheet, inlined into the HTML report.
declare module "uplot/dist/uPlot.iife.min.js" {
  const path: string;
  export default path;
}
declare module "uplot/dist/uPlot.min.css" {
  const path: string;
  export default path;
}
