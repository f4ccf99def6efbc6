import pkg from "../package.json" with { type: "json" };

/** The tool version, baked into the compiled binary by the bundler. */
export const VERSION: string = pkg.version;
