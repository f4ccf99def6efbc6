// FRED's release calendar over the wire: `fred/releases/dates` (every release's dates in a window, paged by
// limit/offset) and `fred/series/release` (which release publishes a series). Through the vendors' one HTTP client,
// so retries, Retry-After, deadlines and redaction are those of every vendor.
import * as v from "valibot";
import { VendorError } from "../errors.ts";
import type { HttpClient } from "../vendors/http.ts";
import { parseBody } from "../vendors/http.ts";
import type { VendorSettings } from "../vendors/settings.ts";

/** FRED's page size ceiling for release dates. */
export const RELEASE_DATES_PAGE = 1000;

const ReleaseDatesBody = v.object({
  count: v.number(),
  offset: v.optional(v.number()),
  limit: v.optional(v.number()),
  release_dates: v.array(v.object({ release_id: v.number(), release_name: v.optional(v.string()), date: v.string() })),
});

const SeriesReleaseBody = v.object({ releases: v.array(v.object({ id: v.number(), name: v.string() })) });

/** One scheduled release date as FRED lists it. */
export interface ReleaseDate {
  releaseId: number;
  name: string;
  date: string;
}

/** What a release-calendar call needs: the FRED settings (key, base URL) and the client built from them. */
export interface FredCalendarClient {
  settings: VendorSettings & { apiKey: string };
  client: HttpClient;
  /** Release dates per request (default 1000, FRED's maximum). */
  pageSize?: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Every release date from `from` to `to` (YYYY-MM-DD, inclusive), future scheduled dates included
 * (include_release_dates_with_no_data), pages followed to the answer's `count`.
 */
export async function fetchReleaseDates(c: FredCalendarClient, from: string, to: string, signal?: AbortSignal): Promise<ReleaseDate[]> {
  const what = `release dates ${from}…${to}`;
  const limit = c.pageSize ?? RELEASE_DATES_PAGE;
  const out: ReleaseDate[] = [];
  let offset = 0;
  for (;;) {
    const res = await c.client.json({
      url: `${c.settings.baseUrl}/fred/releases/dates`,
      query: {
        api_key: c.settings.apiKey,
        file_type: "json",
        realtime_start: from,
        realtime_end: to,
        include_release_dates_with_no_data: "true",
        order_by: "release_date",
        sort_order: "asc",
        limit,
        offset: offset || undefined,
      },
      what,
      ...(signal ? { signal } : {}),
    });
    const body = parseBody(ReleaseDatesBody, res.body, "fred", what);
    for (const d of body.release_dates) {
      if (!DATE.test(d.date) || Number.isNaN(Date.parse(d.date)))
        throw new VendorError(`fred ${what}: unexpected release date "${d.date}" (release ${d.release_id})`, "fred", undefined, res.status, res.attempts);
      out.push({ releaseId: d.release_id, name: d.release_name ?? `release ${d.release_id}`, date: d.date });
    }
    offset += body.release_dates.length;
    // An empty page before `count` would page forever: FRED's count is then wrong, and what came is all there is.
    if (offset >= body.count || body.release_dates.length === 0) break;
  }
  return out;
}

/** The release that publishes a FRED series (its first, as FRED lists them). */
export async function fetchSeriesRelease(c: FredCalendarClient, seriesId: string, signal?: AbortSignal): Promise<{ releaseId: number; name: string }> {
  const what = `release of ${seriesId}`;
  const res = await c.client.json({
    url: `${c.settings.baseUrl}/fred/series/release`,
    query: { series_id: seriesId, api_key: c.settings.apiKey, file_type: "json" },
    what,
    symbol: `FRED:${seriesId}`,
    ...(signal ? { signal } : {}),
  });
  const body = parseBody(SeriesReleaseBody, res.body, "fred", what, `FRED:${seriesId}`);
  const r = body.releases[0];
  if (!r) throw new VendorError(`fred ${what}: no release publishes it`, "fred", `FRED:${seriesId}`, res.status, res.attempts);
  return { releaseId: r.id, name: r.name };
}
