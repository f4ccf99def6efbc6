#!/usr/bin/env -S deno run -A
// Entry for `bun src/cli.ts`, `deno run -A src/cli.ts` and the compiled binary.
import { main } from "../commands/main.ts";

process.exitCode = await main(process.argv.slice(2));
