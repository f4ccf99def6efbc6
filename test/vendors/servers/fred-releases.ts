/**
 * FRED's release calendar stand-in: `/fred/releases/dates` (realtime_start/realtime_end, limit/offset paging,
 * ascending by date, the real JSON shape) and `/fred/series/release`, with FRED's error JSON for a bad key.
 */
import { startHttpServer, type TestServer } from "./http.ts";

/** A release date as FRED lists it. */
export interface WireReleaseDate {
  release_id: number;
  release_name: string;
  date: string;
}

/** CPI (release 10): the 2026 schedule; H.15 (18): every weekday; Employment Situation (50): first Fridays. */
export function releaseCalendar2026(): WireReleaseDate[] {
  const out: WireReleaseDate[] = [];
  const cpi = ["01-13", "02-11", "03-11", "04-10", "05-12", "06-10", "07-14", "08-12", "09-11", "10-14", "11-13", "12-10"];
  for (const d of cpi) out.push({ release_id: 10, release_name: "Consumer Price Index", date: `2026-${d}` });
  for (let t = Date.parse("2026-01-01"); t <= Date.parse("2026-12-31"); t += 86_400_000) {
    const day = new Date(t);
    const date = day.toISOString().slice(0, 10);
    const wd = day.getUTCDay();
    if (wd >= 1 && wd <= 5) out.push({ release_id: 18, release_name: "H.15 Selected Interest Rates", date });
    if (wd === 5 && day.getUTCDate() <= 7) out.push({ release_id: 50, release_name: "Employment Situation", date });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.release_id - b.release_id));
}

const SERIES: Record<string, { id: number; name: string }> = {
  CPIAUCSL: { id: 10, name: "Consumer Price Index" },
  DGS10: { id: 18, name: "H.15 Selected Interest Rates" },
  PAYEMS: { id: 50, name: "Employment Situation" },
};

const badKey = {
  status: 400,
  json: {
    error_code: 400,
    error_message:
      "Bad Request.  The value for variable api_key is not registered.  Read https://fred.stlouisfed.org/docs/api/api_key.html for more information.",
  },
};

/**
 * Start the server; `dates` is the whole calendar it knows, `observations` the series it serves on
 * `/fred/series/observations` (FRED's shape: count/offset/limit and observations [{date, value}]).
 */
export function startFredReleases(
  key = "test-key",
  dates: WireReleaseDate[] = releaseCalendar2026(),
  observations: Record<string, { date: string; value: string }[]> = {},
): TestServer {
  return startHttpServer({
    route(url) {
      const q = url.searchParams;
      if (q.get("api_key") !== key) return badKey;
      if (url.pathname === "/fred/series/observations") {
        const all = observations[q.get("series_id") ?? ""];
        if (!all) return { status: 400, json: { error_code: 400, error_message: "Bad Request.  The series does not exist." } };
        const inRange = all.filter((o) => o.date >= (q.get("observation_start") ?? "0000") && o.date <= (q.get("observation_end") ?? "9999"));
        const offset = Number(q.get("offset") ?? 0);
        const limit = Number(q.get("limit") ?? 100000);
        return { json: { count: inRange.length, offset, limit, observations: inRange.slice(offset, offset + limit) } };
      }
      if (q.get("file_type") !== "json")
        return { status: 400, json: { error_code: 400, error_message: "Bad Request.  Variable file_type is not one of the values: xml, json." } };
      const today = "2026-12-04";
      const start = q.get("realtime_start") ?? today;
      const end = q.get("realtime_end") ?? today;
      if (url.pathname === "/fred/series/release") {
        const r = SERIES[q.get("series_id") ?? ""];
        if (!r) return { status: 400, json: { error_code: 400, error_message: "Bad Request.  The series does not exist." } };
        return { json: { realtime_start: start, realtime_end: end, releases: [{ ...r, realtime_start: start, realtime_end: end, press_release: true }] } };
      }
      if (url.pathname !== "/fred/releases/dates") return { status: 404, json: { error_code: 404, error_message: "Not Found" } };
      const limit = Number(q.get("limit") ?? 1000);
      if (!(limit >= 1 && limit <= 1000))
        return { status: 400, json: { error_code: 400, error_message: "Bad Request.  Variable limit is not between 1 and 1000." } };
      const offset = Number(q.get("offset") ?? 0);
      // Without include_release_dates_with_no_data FRED leaves out dates with no data yet: the future schedule.
      const withFuture = q.get("include_release_dates_with_no_data") === "true";
      const inRange = dates.filter((d) => d.date >= start && d.date <= end && (withFuture || d.date <= today));
      const ordered = q.get("sort_order") === "asc" ? inRange : [...inRange].reverse();
      return {
        json: {
          realtime_start: start,
          realtime_end: end,
          order_by: "release_date",
          sort_order: q.get("sort_order") ?? "desc",
          count: ordered.length,
          offset,
          limit,
          release_dates: ordered.slice(offset, offset + limit),
        },
      };
    },
    drift(json) {
      const c = structuredClone(json) as { release_dates?: Record<string, unknown>[] };
      for (const d of c.release_dates ?? []) {
        d.release_date = d.date;
        delete d.date;
      }
      return c;
    },
    empty(url) {
      return {
        realtime_start: url.searchParams.get("realtime_start"),
        realtime_end: url.searchParams.get("realtime_end"),
        count: 0,
        offset: 0,
        limit: 1000,
        release_dates: [],
      };
    },
  });
}
