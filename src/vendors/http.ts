import { ofetch } from "ofetch";
import * as v from "valibot";
import type { Logger } from "../context.ts";
import { silentLogger } from "../context.ts";
import { VendorError } from "../errors.ts";
import { redactClip, redactSecrets } from "../redact.ts";
import { RateLimiter, sleep as realSleep, Semaphore } from "./limits.ts";
import type { VendorSettings } from "./settings.ts";
import type { FetchRequest } from "./types.ts";

/** Statuses worth another attempt: timeouts, throttles and transient server errors. */
export const RETRY_STATUSES: readonly number[] = [408, 425, 429, 500, 502, 503, 504];

/** How an HTTP client behaves; every field but `vendor` has a default. */
export interface HttpClientOptions extends Partial<Omit<VendorSettings, "vendor" | "baseUrl" | "apiKey" | "batchSize">> {
  vendor: string;
  log?: Logger;
  /** Backoff ceiling per wait (default 30 s). */
  backoffMaxMs?: number;
  /** Longest Retry-After dqctl will wait; a longer one fails at once (default 60 s). */
  retryAfterCapMs?: number;
  /** Statuses retried (default RETRY_STATUSES). */
  retryStatuses?: readonly number[];
  /** Token-bucket burst (default: one second's worth of the rate). */
  burst?: number;
  headers?: Record<string, string>;
  /** Injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** A vendor answer that arrived as 200 but means "slow down" (e.g. Alpha Vantage's "Note"). */
export interface Throttle {
  status: number;
  reason: string;
}

/** One JSON call. `what` names the request in errors: `AAPL (NASDAQ:AAPL) 1d`. */
export interface JsonRequest {
  url: string;
  method?: "GET" | "POST";
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  what: string;
  symbol?: string;
  signal?: AbortSignal;
  /** Look at a parsed 2xx body; return a Throttle to retry it as that status. */
  inspect?: (body: unknown) => Throttle | undefined;
}

/** A parsed 2xx answer. */
export interface JsonResponse {
  status: number;
  body: unknown;
  attempts: number;
}

/** `AAPL (NASDAQ:AAPL) 1d`: the vendor ticker, the dqctl id and the interval, as error messages name a request. */
export function describeRequest(ticker: string, req: Pick<FetchRequest, "symbol" | "interval">): string {
  return ticker === req.symbol.id ? `${req.symbol.id} ${req.interval}` : `${ticker} (${req.symbol.id}) ${req.interval}`;
}

/** Parse a Retry-After header (delta-seconds or HTTP-date) into ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const s = value.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Validate a parsed body; a mismatch is schema drift, reported as a VendorError naming the field. */
export function parseBody<S extends v.GenericSchema>(schema: S, body: unknown, vendor: string, what: string, symbol?: string): v.InferOutput<S> {
  const res = v.safeParse(schema, body);
  if (res.success) return res.output;
  const issue = res.issues[0]!;
  const field = v.getDotPath(issue) ?? "(root)";
  throw new VendorError(
    `${vendor} ${what}: unexpected response shape (schema drift) at ${field}: ${issue.message}`,
    vendor,
    symbol,
    undefined,
    undefined,
    "the vendor changed its response format; update dqctl or switch vendor",
  );
}

/** Pull a human-readable error out of a vendor's error body (Yahoo, Binance, FRED, Alpha Vantage shapes). */
export function errorDetail(text: string): string | undefined {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    const t = text
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
    return t ? redactClip(t, 120) : undefined;
  }
  // biome-ignore lint/suspicious/noExplicitAny: error bodies of several vendors, probed field by field below
  const o = (j ?? {}) as Record<string, any>;
  const chartErr = o.chart?.error ?? o.finance?.error;
  const candidates = [
    chartErr && [chartErr.code, chartErr.description].filter(Boolean).join(": "),
    o.msg,
    o.error_message,
    o["Error Message"],
    typeof o.error === "string" ? o.error : o.error?.message,
    o.message,
  ];
  const hit = candidates.find((c) => typeof c === "string" && c.trim());
  return hit ? redactClip(String(hit), 200) : undefined;
}

const plural = (n: number) => `${n} attempt${n === 1 ? "" : "s"}`;

/** The one HTTP client every network vendor uses: limits shared by all its requests, retries, deadlines, JSON parsing. */
export class HttpClient {
  readonly vendor: string;
  readonly semaphore: Semaphore;
  readonly limiter: RateLimiter;
  /** Requests sent and retries taken (for stats and tests). */
  readonly stats = { requests: 0, retries: 0 };
  private readonly o: Required<Omit<HttpClientOptions, "burst" | "headers">> & { headers: Record<string, string> };

  constructor(opts: HttpClientOptions) {
    this.vendor = opts.vendor;
    this.o = {
      vendor: opts.vendor,
      log: opts.log ?? silentLogger,
      timeoutMs: opts.timeoutMs ?? 30_000,
      totalTimeoutMs: opts.totalTimeoutMs ?? 180_000,
      retries: opts.retries ?? 4,
      rateLimitPerMinute: opts.rateLimitPerMinute ?? 0,
      concurrency: opts.concurrency ?? 4,
      backoffBaseMs: opts.backoffBaseMs ?? 500,
      backoffMaxMs: opts.backoffMaxMs ?? 30_000,
      retryAfterCapMs: opts.retryAfterCapMs ?? 60_000,
      retryStatuses: opts.retryStatuses ?? RETRY_STATUSES,
      sleep: opts.sleep ?? realSleep,
      random: opts.random ?? Math.random,
      headers: { accept: "application/json", ...opts.headers },
    };
    this.semaphore = new Semaphore(Math.max(1, this.o.concurrency));
    this.limiter = new RateLimiter(this.o.rateLimitPerMinute, opts.burst);
  }

  /** Exponential backoff with jitter: base·2^(n-1), capped, scaled by a random factor in [0.5, 1). */
  backoffMs(attempt: number): number {
    const raw = Math.min(this.o.backoffMaxMs, this.o.backoffBaseMs * 2 ** (attempt - 1));
    return Math.round(raw * (0.5 + this.o.random() * 0.5));
  }

  /** Send one request with retries; resolves with the parsed JSON of a 2xx answer or throws a VendorError. */
  async json(req: JsonRequest): Promise<JsonResponse> {
    const { vendor, retries, timeoutMs, totalTimeoutMs, log } = this.o;
    const prefix = `${vendor} ${req.what}`;
    const maxAttempts = retries + 1;
    const deadline = AbortSignal.timeout(totalTimeoutMs);
    const overall = req.signal ? AbortSignal.any([deadline, req.signal]) : deadline;
    const fail = (what: string, attempts: number, status?: number, advice?: string, cause?: unknown) =>
      new VendorError(`${prefix}: ${what} after ${plural(attempts)}`, vendor, req.symbol, status, attempts, advice, cause ? { cause } : undefined);
    let last: { what: string; status?: number } | undefined;
    let attempts = 0;
    const outOfTime = () => {
      const tail = last ? `; last: ${last.what}` : "";
      return fail(`total deadline of ${totalTimeoutMs} ms exceeded${tail}`, attempts, last?.status, "raise vendors.<name>.totalTimeoutMs or retry later");
    };
    const wait = async (ms: number) => {
      this.stats.retries++;
      log.debug(redactSecrets(`${prefix}: ${last?.what}; retry ${attempts}/${retries} in ${ms} ms`));
      try {
        await this.o.sleep(ms, overall);
      } catch {
        if (req.signal?.aborted) throw req.signal.reason;
        throw outOfTime();
      }
    };

    for (;;) {
      attempts++;
      let status: number;
      let text: string;
      let retryAfter: string | null = null;
      const attemptTimer = AbortSignal.timeout(timeoutMs);
      try {
        await this.limiter.take(overall);
        const release = await this.semaphore.acquire(overall);
        try {
          this.stats.requests++;
          const res = await ofetch.raw<string, "text">(req.url, {
            method: req.method ?? "GET",
            query: req.query,
            body: req.body as Record<string, unknown> | undefined,
            headers: this.o.headers,
            responseType: "text",
            retry: false,
            ignoreResponseError: true,
            signal: AbortSignal.any([overall, attemptTimer]),
          });
          status = res.status;
          text = typeof res._data === "string" ? res._data : "";
          retryAfter = res.headers.get("retry-after");
        } finally {
          release();
        }
      } catch (err) {
        if (req.signal?.aborted) throw req.signal.reason;
        if (deadline.aborted) throw outOfTime();
        const msg = attemptTimer.aborted ? `timeout after ${timeoutMs} ms` : `network error (${(err as Error)?.message ?? String(err)})`;
        last = { what: msg };
        if (attempts >= maxAttempts) throw fail(msg, attempts, undefined, undefined, err);
        await wait(this.backoffMs(attempts));
        continue;
      }

      if (this.o.retryStatuses.includes(status)) {
        const hint = parseRetryAfter(retryAfter);
        last = { what: `HTTP ${status}`, status };
        if (attempts >= maxAttempts) {
          const detail = errorDetail(text);
          throw fail(`HTTP ${status}${detail ? ` (${detail})` : ""}`, attempts, status);
        }
        if (hint !== undefined && hint > this.o.retryAfterCapMs) {
          throw fail(
            `HTTP ${status} with Retry-After ${Math.round(hint / 1000)} s (over the ${this.o.retryAfterCapMs / 1000} s cap)`,
            attempts,
            status,
            "the vendor asked for a long pause; retry later",
          );
        }
        await wait(hint ?? this.backoffMs(attempts));
        continue;
      }
      if (status < 200 || status > 299) {
        const detail = errorDetail(text);
        throw fail(`HTTP ${status}${detail ? ` (${detail})` : ""}`, attempts, status);
      }

      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (err) {
        // A cut connection usually shows up as a half-sent body, so it is retried like a 5xx.
        // Redacted before the tail is cut, so the tail can never be the end of a key.
        const what = `malformed JSON body (${text.length} chars${text.length ? `, ends "${redactSecrets(text).slice(-20)}"` : ""})`;
        last = { what, status };
        if (attempts >= maxAttempts)
          throw fail(what, attempts, status, "the vendor sent a truncated or non-JSON answer; retry later or check the base URL", err);
        await wait(this.backoffMs(attempts));
        continue;
      }
      const throttle = req.inspect?.(body);
      if (throttle) {
        last = { what: `HTTP ${throttle.status} (${throttle.reason})`, status: throttle.status };
        if (attempts >= maxAttempts)
          throw fail(last.what, attempts, throttle.status, "the vendor is throttling this key; lower vendors.<name>.rateLimitPerMinute or retry later");
        await wait(this.backoffMs(attempts));
        continue;
      }
      return { status, body, attempts };
    }
  }
}

/** Build the HTTP client of one vendor instance from its resolved settings. */
export function createHttpClient(settings: VendorSettings, extra: Partial<HttpClientOptions> = {}): HttpClient {
  return new HttpClient({
    timeoutMs: settings.timeoutMs,
    totalTimeoutMs: settings.totalTimeoutMs,
    retries: settings.retries,
    rateLimitPerMinute: settings.rateLimitPerMinute,
    concurrency: settings.concurrency,
    backoffBaseMs: settings.backoffBaseMs,
    ...extra,
    vendor: settings.vendor,
  });
}
