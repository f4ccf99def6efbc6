// A worker for the pool's own tests (test/unit/pipeline/pool.test.ts): squares numbers; throws on those `init.fail`
// names; at `init.dieAt` the whole worker dies (an uncaught error outside any job), as a crashed thread would.
import { serveJobs } from "../../src/pipeline/pool.ts";

interface Init {
  fail: number[];
  dieAt?: number;
}

serveJobs<Init, number, { n: number; square: number }>(
  async () => {},
  (init) => ({
    run: async (n) => {
      if (n === init.dieAt) {
        setTimeout(() => {
          throw new Error(`worker died at ${n}`);
        }, 0);
        await new Promise(() => {}); // never answers
      }
      if (init.fail.includes(n)) throw new Error(`no square for ${n}`);
      return { n, square: n * n };
    },
  }),
);
