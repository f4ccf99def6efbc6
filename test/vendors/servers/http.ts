/**
 * A real HTTP server on 127.0.0.1 (port 0) with a fault-injection switch shared by every vendor server.
 * The vendor-specific part is a `route` that answers in the vendor's wire format, plus `drift` and `empty`
 * transforms that say what a renamed field and an empty result look like for that vendor.
 */

/** Faults a server can inject; counted faults hit the first `times` requests, then the server behaves. */
export type Fault =
  /** Answer these statuses in order (one per request), then succeed; `retryAfter` sets the header. */
  | { kind: "status"; statuses: number[]; retryAfter?: string | (() => string) }
  /** Hold the first `times` requests for `ms` before answering. */
  | { kind: "hang"; times: number; ms: number }
  /** Send half of the JSON body for the first `times` requests. */
  | { kind: "truncate"; times: number }
  /** Every answer has a field renamed (vendor-specific). */
  | { kind: "drift" }
  /** Every answer is an empty result (vendor-specific). */
  | { kind: "empty" }
  /** Answer every request with `status` and the raw `body` built from the full request URL (a vendor echoing it, key and all). */
  | { kind: "echo"; status: number; body: (requestUrl: string) => string };

/** What a route answers. */
export interface RouteAnswer {
  status?: number;
  json: unknown;
  headers?: Record<string, string>;
}

/** The vendor-specific part of a server. */
export interface VendorRoutes {
  route(url: URL, req: Request, body: unknown): RouteAnswer | Promise<RouteAnswer>;
  drift(json: unknown): unknown;
  empty(url: URL): unknown;
}

/** A running test server. */
export interface TestServer {
  url: string;
  /** Every request URL, in arrival order. */
  requests: URL[];
  /** POST bodies, in arrival order. */
  bodies: unknown[];
  fault: Fault | undefined;
  /** Added to every answer (latency injection). */
  latencyMs: number;
  /** Most requests ever in flight at once. */
  peakInFlight: number;
  stop(): void;
}

/** Start a vendor server. */
export function startHttpServer(routes: VendorRoutes): TestServer {
  let faulted = 0;
  let inFlight = 0;
  const state: TestServer = {
    url: "",
    requests: [],
    bodies: [],
    fault: undefined,
    latencyMs: 0,
    peakInFlight: 0,
    stop: () => server.stop(true),
  };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 30,
    async fetch(req) {
      const url = new URL(req.url);
      state.requests.push(url);
      inFlight++;
      state.peakInFlight = Math.max(state.peakInFlight, inFlight);
      try {
        const body = req.method === "POST" ? await req.json() : undefined;
        if (body !== undefined) state.bodies.push(body);
        if (state.latencyMs) await Bun.sleep(state.latencyMs);
        const f = state.fault;
        if (f?.kind === "status" && faulted < f.statuses.length) {
          const status = f.statuses[faulted++]!;
          const headers: Record<string, string> = { "content-type": "application/json" };
          if (f.retryAfter) headers["retry-after"] = typeof f.retryAfter === "function" ? f.retryAfter() : f.retryAfter;
          return new Response(JSON.stringify({ error: `injected ${status}` }), { status, headers });
        }
        if (f?.kind === "echo") return new Response(f.body(req.url), { status: f.status, headers: { "content-type": "application/json" } });
        if (f?.kind === "hang" && faulted < f.times) {
          faulted++;
          await Bun.sleep(f.ms);
        }
        const ans = await routes.route(url, req, body);
        let json = ans.json;
        if (f?.kind === "drift") json = routes.drift(json);
        if (f?.kind === "empty" && (ans.status ?? 200) === 200) json = routes.empty(url);
        let text = JSON.stringify(json);
        if (f?.kind === "truncate" && faulted < f.times) {
          faulted++;
          text = text.slice(0, Math.floor(text.length / 2));
        }
        return new Response(text, { status: ans.status ?? 200, headers: { "content-type": "application/json", ...ans.headers } });
      } finally {
        inFlight--;
      }
    },
  });
  state.url = `http://127.0.0.1:${server.port}`;
  // Setting a fault re-arms its counter.
  let current: Fault | undefined;
  Object.defineProperty(state, "fault", {
    get: () => current,
    set: (f: Fault | undefined) => {
      current = f;
      faulted = 0;
    },
  });
  return state;
}

/** Load a fixture from test/vendors/fixtures. */
export async function fixture<T = any>(name: string): Promise<T> {
  return Bun.file(new URL(`../fixtures/${name}`, import.meta.url)).json() as Promise<T>;
}
