/** FRED stand-in: `/fred/series/observations` with api_key, date bounds, limit and offset. */
import { fixture, startHttpServer, type TestServer } from "./http.ts";

/** Start a FRED server over the recorded DGS10 observations; `omitCount` leaves `count` out of every page. */
export async function startFred(key = "test-key", opts: { omitCount?: boolean } = {}): Promise<TestServer> {
  const f = await fixture("fred_DGS10_1d.json");
  const all: { date: string; value: string }[] = f.response.observations;
  return startHttpServer({
    route(url) {
      const q = url.searchParams;
      if (q.get("api_key") !== key) {
        return {
          status: 400,
          json: {
            error_code: 400,
            error_message:
              "Bad Request.  The value for variable api_key is not registered.  Read https://fred.stlouisfed.org/docs/api/api_key.html for more information.",
          },
        };
      }
      if (q.get("series_id") !== f.ticker) return { status: 400, json: { error_code: 400, error_message: "Bad Request.  The series does not exist." } };
      const start = q.get("observation_start") ?? "0000";
      const end = q.get("observation_end") ?? "9999";
      const inRange = all.filter((o) => o.date >= start && o.date <= end);
      const offset = Number(q.get("offset") ?? 0);
      const limit = Number(q.get("limit") ?? 100000);
      const page = { ...f.response, count: inRange.length, offset, limit, observations: inRange.slice(offset, offset + limit) };
      if (opts.omitCount) delete page.count;
      return { json: page };
    },
    drift(json) {
      const c = structuredClone(json) as { observations: Record<string, unknown>[] };
      for (const o of c.observations) {
        o.val = o.value;
        delete o.value;
      }
      return c;
    },
    empty() {
      return { ...f.response, count: 0, observations: [] };
    },
  });
}
