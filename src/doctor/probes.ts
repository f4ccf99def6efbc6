// The probes `dqctl doctor` runs, one function each (the list is in index.ts).
import { existsSync } from "node:fs";
import { DEFAULT_REFERENCE_DIR } from "../pipeline/reference.ts";
import { checkReference } from "../reference/index.ts";
import { configurableVendors, settingsFor, VENDORS } from "../vendors/registry.ts";
import { httpProbe, resolveHost, tcpProbe } from "./net.ts";
import type { Probe, ProbeEnv, ProbeRow } from "./types.ts";

const ms = (x: number) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`;

/** The store answers, exists and has a schema this dqctl reads. */
export const storeProbe: Probe = {
  check: "store",
  async run({ ctx }) {
    const s = ctx.store;
    const st = await s.status();
    const row = (status: ProbeRow["status"], detail: string, fix?: string): ProbeRow[] => [
      { check: "store", target: s.location, status, detail, ...(fix ? { fix } : {}) },
    ];
    if (!st.exists)
      return st.needsInit
        ? row("fail", "reachable, not initialised (no dqctl tables)", `run \`dqctl store init --store ${s.location}\``)
        : row("warn", "does not exist yet", "the first ingest creates it (or run `dqctl store init`)");
    if (st.version > st.latest) return row("fail", `schema version ${st.version}, newer than this dqctl's ${st.latest}`, "upgrade dqctl");
    if (st.version < st.latest) return row("fail", `schema version ${st.version} of ${st.latest}`, `run \`dqctl store init --store ${s.location}\` to migrate`);
    return row("ok", `reachable, schema version ${st.version}`);
  },
};

/** This process could write to the store (a lakehouse folder's permissions; PostgreSQL checks at the write). */
export const writableProbe: Probe = {
  check: "writable",
  async run({ ctx }) {
    ctx.store.assertWritable("doctor");
    return [{ check: "writable", target: ctx.store.location, status: "ok", detail: "writable" }];
  },
};

/** Who holds the write lock now: a writer would wait for it (--wait-lock) or exit 3. */
export const lockProbe: Probe = {
  check: "lock",
  async run({ ctx }) {
    const { lockHolders } = await ctx.store.status();
    if (!lockHolders.length) return [{ check: "lock", target: ctx.store.location, status: "ok", detail: "free" }];
    return lockHolders.map((h) => ({
      check: "lock",
      target: h.symbol ? `${ctx.store.location} ${h.symbol}` : ctx.store.location,
      status: "warn" as const,
      detail: `held by ${h.command} pid ${h.pid} on ${h.host} since ${h.since}${h.stale ? ` (stale: ${h.stale})` : ""}`,
      fix: h.stale ? "the next writer takes a stale lock over" : "writers wait with --wait-lock, or exit 3",
    }));
  },
};

/** The cache: PING, then a write–read–delete round trip. */
export const cacheProbe: Probe = {
  check: "cache",
  async run({ ctx }) {
    const c = ctx.cache;
    if (!c) return [{ check: "cache", target: "", status: "skip", detail: "not configured (--cache, DQCTL_CACHE, config cache)" }];
    try {
      const r = await c.probe();
      return [{ check: "cache", target: c.location, status: "ok", detail: `${r.server}, PING ${ms(r.pingMs)}, round trip ${ms(r.roundTripMs)}` }];
    } catch (e) {
      return [
        {
          check: "cache",
          target: c.location,
          status: "fail",
          detail: (e as Error).message,
          fix: "start Redis there or fix the cache URL; runs read straight from the store meanwhile",
        },
      ];
    }
  },
};

/** The NATS URLs the configuration names for the event stream. */
export function streamUrls(p: Pick<ProbeEnv, "ctx" | "env">): string[] {
  const config = p.ctx.config as Record<string, unknown>;
  const stream = config.stream;
  const lineage = config.lineage as Record<string, unknown> | undefined;
  const candidates = [
    p.env.DQCTL_STREAM,
    p.env.DQCTL_EMIT,
    typeof stream === "string" ? stream : (stream as { url?: unknown } | undefined)?.url,
    lineage?.emit,
  ];
  return [...new Set(candidates.filter((u): u is string => typeof u === "string" && /^nats:\/\//i.test(u)))];
}

/** The event stream's broker: TCP connect, the server's INFO line, JetStream enabled. */
export const streamProbe: Probe = {
  check: "stream",
  async run(p) {
    const urls = streamUrls(p);
    if (!urls.length) return [{ check: "stream", target: "", status: "skip", detail: "no nats:// stream configured" }];
    const rows: ProbeRow[] = [];
    for (const raw of urls) {
      const u = new URL(raw);
      const target = `nats://${u.host}`;
      try {
        const host = await resolveHost(u.hostname.replace(/^\[|\]$/g, ""), p.timeoutMs);
        const line = await tcpProbe(host, u.port ? Number(u.port) : 4222, p.timeoutMs, true);
        if (!line.startsWith("INFO ")) throw new Error(`not a NATS server (it said ${JSON.stringify(line.slice(0, 40))})`);
        const info = JSON.parse(line.slice(5)) as { version?: string; jetstream?: boolean };
        rows.push(
          info.jetstream
            ? { check: "stream", target, status: "ok", detail: `NATS ${info.version ?? "?"}, JetStream on` }
            : { check: "stream", target, status: "fail", detail: `NATS ${info.version ?? "?"} without JetStream`, fix: "start nats-server with -js" },
        );
      } catch (e) {
        rows.push({ check: "stream", target, status: "fail", detail: (e as Error).message, fix: "start NATS there or fix the stream URL" });
      }
    }
    return rows;
  },
};

/** Network vendors the configuration names: `vendors.<name>` keys, base URLs set in the environment, and --vendor. */
export function namedVendors(p: Pick<ProbeEnv, "ctx" | "env" | "vendors">): string[] {
  const configurable = new Set(configurableVendors());
  const fromConfig = Object.keys(p.ctx.config.vendors ?? {}).filter((v) => configurable.has(v));
  const fromEnv = VENDORS.filter((d) => d.network && p.env[d.settings.baseUrlEnv]).map((d) => d.name);
  return [...new Set([...fromConfig, ...fromEnv, ...p.vendors])];
}

/** Each named vendor's base URL: DNS, TCP, one HTTP request (any status answers); never its API key. */
export const vendorProbe: Probe = {
  check: "vendor",
  async run(p) {
    const names = namedVendors(p);
    if (!names.length)
      return [{ check: "vendor", target: "", status: "skip", detail: "no network vendor configured (vendors.<name> in the config, or --vendor)" }];
    const rows: ProbeRow[] = [];
    for (const name of names) {
      const s = settingsFor(name, { config: p.ctx.config, env: p.env });
      const u = new URL(s.baseUrl);
      const target = `${name} ${u.protocol}//${u.host}`;
      const secure = u.protocol === "https:" || u.protocol === "wss:";
      try {
        const t0 = performance.now();
        const ip = await resolveHost(u.hostname.replace(/^\[|\]$/g, ""), p.timeoutMs);
        await tcpProbe(ip, u.port ? Number(u.port) : secure ? 443 : 80, p.timeoutMs);
        const http = `${secure ? "https" : "http"}://${u.host}/`;
        const status = await httpProbe(http, p.timeoutMs);
        rows.push({ check: "vendor", target, status: "ok", detail: `DNS ${ip}, TCP, HTTP ${status} in ${ms(performance.now() - t0)}` });
      } catch (e) {
        rows.push({
          check: "vendor",
          target,
          status: "fail",
          detail: (e as Error).message,
          fix: `check the network, or vendors.${name}.baseUrl / ${vendorEnv(name)}`,
        });
      }
    }
    return rows;
  },
};

function vendorEnv(name: string): string {
  const d = VENDORS.find((x) => x.name === name);
  return d?.network ? d.settings.baseUrlEnv : "the base URL";
}

/** The reference files (instruments, sessions, holidays) are valid. */
export const referenceProbe: Probe = {
  check: "reference",
  async run({ ctx }) {
    const dir = ctx.config.referenceDir ?? DEFAULT_REFERENCE_DIR;
    if (!ctx.config.referenceDir && !existsSync(dir))
      return [{ check: "reference", target: dir, status: "skip", detail: "no reference folder: the built-in rules apply" }];
    const r = checkReference(dir);
    const present = r.files.filter((f) => f.present);
    return [
      { check: "reference", target: r.dir, status: "ok", detail: `${present.length} of ${r.files.length} files valid, ${r.instruments.length} instruments` },
    ];
  },
};
