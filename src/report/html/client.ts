// The page's script. `reportClient` runs in the browser: the page embeds its source (Function#toString), so it must
// not reach anything outside its own body except the DOM, uPlot (inlined before it) and the data block.
import type { HistoryDoc } from "./history.ts";
import type { ChartData, ReportDoc, SeriesDoc } from "./model.ts";

/** What the script uses of uPlot (the library is inlined as a global; its own typings are not needed). */
interface Plot {
  ctx: CanvasRenderingContext2D;
  bbox: { left: number; top: number; width: number; height: number };
  over: HTMLElement;
  data: (number | null)[][];
  scales: { x: { min?: number; max?: number } };
  valToPos(v: number, scale: string, canvasPixels?: boolean): number;
}
type PlotCtor = new (opts: unknown, data: (number | null)[][], target: HTMLElement) => Plot;

/** Runs in the page: builds every series section and draws its charts (lazily when there are many). */
export function reportClient(): void {
  const doc = JSON.parse(document.getElementById("dq-data")!.textContent!) as ReportDoc;
  const UPlot = (window as unknown as { uPlot: PlotCtor }).uPlot;
  const win = window as unknown as { __dq: { ready: boolean; drawn: number; ms: number } };
  win.__dq = { ready: false, drawn: 0, ms: 0 };
  const t0 = performance.now();
  type Packed = ChartData["bars"];

  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const slug = (s: string) => s.replace(/[^A-Za-z0-9]+/g, "-");
  const isoOf = (ms: number) => new Date(ms).toISOString();
  const day = (ms: number) => isoOf(ms).slice(0, 10);

  // Inverse of varints (src/report/html/encode.ts).
  const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  const digit = new Map([...ALPHABET].map((ch, i) => [ch, i]));
  const ints = (s: string | undefined): (number | null)[] => {
    const out: (number | null)[] = [];
    if (!s) return out;
    let z = 0;
    let mul = 1;
    for (const ch of s) {
      if (ch === "~") {
        out.push(null);
        continue;
      }
      const d = digit.get(ch)!;
      if (d >= 32) {
        z += (d - 32) * mul;
        mul *= 32;
        continue;
      }
      z += d * mul;
      out.push(z % 2 ? -(z + 1) / 2 : z / 2);
      z = 0;
      mul = 1;
    }
    return out;
  };

  // Inverse of packBars; times in seconds, as uPlot wants them.
  const unpack = (p: Packed) => {
    const dt = ints(p.dt) as number[];
    const dc = ints(p.c);
    const [po, ph, pl] = [ints(p.o), ints(p.h), ints(p.l)];
    const ohlc = p.o !== undefined;
    const n = dc.length;
    const t: number[] = new Array(n);
    const c: (number | null)[] = new Array(n);
    const o: (number | null)[] = new Array(n);
    const h: (number | null)[] = new Array(n);
    const l: (number | null)[] = new Array(n);
    let ms = p.t0;
    let q = 0;
    let run = 0;
    let left = 0;
    for (let i = 0; i < n; i++) {
      while (left === 0) {
        left = dt[run * 2 + 1]!;
        run++;
      }
      left--;
      ms += dt[run * 2 - 2]! * p.unit;
      t[i] = ms / 1000;
      const d = dc[i];
      const ok = d !== null && d !== undefined;
      if (ok) q += d;
      c[i] = ok ? q * p.scale : null;
      const off = (a: (number | null)[]) => {
        const v = a[i];
        return v === null || v === undefined ? null : (q + v) * p.scale;
      };
      o[i] = ohlc ? off(po) : c[i]!;
      h[i] = ohlc ? off(ph) : c[i]!;
      l[i] = ohlc ? off(pl) : c[i]!;
    }
    return { t, o, h, l, c };
  };

  const drawCandles = (u: Plot) => {
    const [t, , h, l, o, c] = u.data as number[][];
    const ctx = u.ctx;
    const n = t!.length;
    const span = (u.scales.x.max ?? 1) - (u.scales.x.min ?? 0) || 1;
    const w = Math.max(1, Math.min(12, (u.bbox.width / span) * ((t![n - 1]! - t![0]!) / Math.max(1, n - 1)) * 0.7));
    ctx.save();
    for (let i = 0; i < n; i++) {
      if (o![i] == null || c![i] == null || h![i] == null || l![i] == null) continue;
      const x = u.valToPos(t![i]!, "x", true);
      const yo = u.valToPos(o![i]!, "y", true);
      const yc = u.valToPos(c![i]!, "y", true);
      const yh = u.valToPos(h![i]!, "y", true);
      const yl = u.valToPos(l![i]!, "y", true);
      ctx.fillStyle = c![i]! >= o![i]! ? "#2a9d8f" : "#e63946";
      ctx.fillRect(Math.round(x) - 0.5, Math.min(yh, yl), 1, Math.abs(yl - yh) || 1);
      ctx.fillRect(x - w / 2, Math.min(yo, yc), w, Math.max(1, Math.abs(yc - yo)));
    }
    ctx.restore();
  };

  const shadeMissing = (missing: [number, number, number][], stepS: number) => (u: Plot) => {
    const ctx = u.ctx;
    ctx.save();
    ctx.fillStyle = "rgba(230, 57, 70, 0.14)";
    for (const [from, to] of missing) {
      const a = u.valToPos(from / 1000, "x", true);
      const b = u.valToPos(to / 1000 + stepS, "x", true);
      if (b < u.bbox.left || a > u.bbox.left + u.bbox.width) continue;
      ctx.fillRect(Math.max(a, u.bbox.left), u.bbox.top, Math.max(2, Math.min(b, u.bbox.left + u.bbox.width) - Math.max(a, u.bbox.left)), u.bbox.height);
    }
    ctx.restore();
  };

  // Findings are DOM flags over the canvas (so they can be hovered, linked and found), placed at their bar's time.
  const placeMarkers = (u: Plot, marks: HTMLElement[]) => {
    for (const m of marks) m.style.left = `${u.valToPos(Number(m.dataset.ms) / 1000, "x")}px`;
  };

  const chart = (host: HTMLElement, p: Packed, data: ChartData, own: SeriesDoc["findings"], title: string, width: number) => {
    const box = el("div", "chart");
    box.style.width = `${width}px`;
    box.append(el("div", "chart-title", title));
    host.append(box);
    const b = unpack(p);
    const n = b.t.length;
    const first = (b.t[0] ?? 0) * 1000;
    const last = (b.t[n - 1] ?? 0) * 1000;
    const stepS = n > 1 ? (b.t[n - 1]! - b.t[0]!) / (n - 1) : 86_400;
    const marks: HTMLElement[] = [];
    for (const f of data.findings ?? own)
      for (const ms of f.ts) {
        if (ms < first - stepS * 1000 || ms > last + stepS * 1000) continue;
        const m = el("a", `marker sev-${f.severity}`);
        m.href = `#code-${f.code}`;
        m.dataset.ms = String(ms);
        m.dataset.ts = isoOf(ms);
        m.dataset.code = f.code;
        m.title = `${f.code} at ${isoOf(ms)}: ${f.message}`;
        marks.push(m);
      }
    const hidden = { stroke: "transparent", points: { show: false } };
    const opts = {
      width,
      height: 200,
      legend: { show: false },
      cursor: { drag: { x: true, y: false } },
      series: data.ohlc ? [{}, hidden, hidden, hidden, hidden, hidden] : [{}, { stroke: "#1d3557", width: 1.25, points: { show: false } }],
      hooks: {
        drawClear: [shadeMissing(data.missing, stepS)],
        draw: [...(data.ohlc ? [drawCandles] : []), (u: Plot) => placeMarkers(u, marks)],
      },
    };
    const series = data.ohlc ? [b.t, b.c, b.h, b.l, b.o, b.c] : [b.t, b.c];
    const u = new UPlot(opts, series, box);
    for (const m of marks) u.over.append(m);
    placeMarkers(u, marks);
    win.__dq.drawn++;
  };

  const strip = (host: HTMLElement, s: NonNullable<SeriesDoc["strip"]>, width: number) => {
    const cv = el("canvas", "strip");
    const missing = s.runs.filter((r) => r[0] === 2).reduce((a, r) => a + r[1], 0);
    const partial = s.runs.filter((r) => r[0] === 1).reduce((a, r) => a + r[1], 0);
    cv.width = width;
    cv.height = 14;
    cv.dataset.sessions = String(s.sessions);
    cv.dataset.missing = String(missing);
    cv.title = `${s.sessions} sessions: ${missing} missing, ${partial} partly missing`;
    const g = cv.getContext("2d")!;
    const colours = ["#8ecae6", "#f4a261", "#e63946"];
    let i = 0;
    for (const [state, count] of s.runs) {
      const x = (i / s.sessions) * width;
      g.fillStyle = colours[state]!;
      g.fillRect(Math.floor(x), 0, Math.max(1, Math.ceil((count / s.sessions) * width)), 14);
      i += count;
    }
    const cap = el("div", "strip-caption", `coverage by session (${day(s.runs[0]![2])} →): ${cv.title}`);
    host.append(cv, cap);
  };

  // Metric history: one small SVG line per metric over the last sessions, a red dot at each run the rules flagged.
  const SVG = "http://www.w3.org/2000/svg";
  const svg = (tag: string, attrs: Record<string, string | number>) => {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    return e;
  };
  const sparklines = (host: HTMLElement, h: HistoryDoc) => {
    let minute = h.t0;
    const times = (ints(h.dt) as number[]).map((d) => (minute += d) * 60_000);
    const n = times.length;
    const row = el("div", "sparks");
    const [W, H, P] = [180, 34, 4];
    for (const sp of h.sparks) {
      const vals = ints(sp.v).map((v) => (v === null || v === undefined ? null : Number((v * sp.scale).toPrecision(4))));
      const finite = vals.filter((v): v is number => v !== null);
      const lo = Math.min(...finite);
      const hi = Math.max(...finite);
      const x = (i: number) => P + (n > 1 ? (i * (W - 2 * P)) / (n - 1) : (W - 2 * P) / 2);
      const y = (v: number) => (hi > lo ? H - P - ((v - lo) * (H - 2 * P)) / (hi - lo) : H / 2);
      const fig = el("figure", "spark");
      fig.dataset.metric = sp.metric;
      fig.dataset.points = String(finite.length);
      const pic = svg("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}` });
      let d = "";
      vals.forEach((v, i) => {
        if (v === null) return;
        d += `${d && vals[i - 1] !== null ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      });
      pic.append(svg("path", { d, fill: "none", stroke: "#1d3557", "stroke-width": 1.25 }));
      for (const i of sp.anomalies) {
        const v = vals[i];
        if (v === null || v === undefined) continue;
        const dot = svg("circle", { cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: 3.5, class: "anomaly", "data-at": isoOf(times[i]!), "data-value": v });
        const t = svg("title", {});
        t.textContent = `${sp.metric} ${v} at the run of ${isoOf(times[i]!)}: left its recent range`;
        dot.append(t);
        pic.append(dot);
      }
      const last = finite[finite.length - 1];
      const cap = el(
        "figcaption",
        "",
        `${sp.metric} ${last ?? "–"}${sp.anomalies.length ? ` · ${sp.anomalies.length} anomal${sp.anomalies.length > 1 ? "ies" : "y"}` : ""}`,
      );
      cap.title = `${finite.length} sessions, ${day(times[0]!)} → ${day(times[n - 1]!)}`;
      fig.append(pic, cap);
      row.append(fig);
    }
    host.append(row);
  };

  const render = (sec: HTMLElement, s: SeriesDoc) => {
    if (sec.dataset.drawn) return;
    sec.dataset.drawn = "1";
    // Built with the charts, as the section comes into view: thousands of series open with only their headings.
    if (s.findings.length) {
      const ul = el("ul", "findings");
      for (const f of s.findings) {
        const li = el("li", `sev-${f.severity}`);
        const a = el("a", "code", f.code);
        a.href = `#code-${f.code}`;
        li.append(a, document.createTextNode(` ${f.message}`));
        ul.append(li);
      }
      sec.append(ul);
    }
    const width = Math.max(320, Math.min(900, (sec.clientWidth || 900) - 24));
    const row = el("div", "charts");
    sec.append(row);
    const both = s.golden && s.quarantined;
    const w = both ? Math.floor((width - 16) / 2) : width;
    if (s.golden) chart(row, s.golden.bars, s.golden, s.findings, s.golden.sampled ? "golden (overview)" : "golden", w);
    if (s.quarantined)
      chart(
        row,
        s.quarantined.bars,
        s.quarantined,
        s.findings,
        `quarantined${s.quarantined.cutOut ? " (bars cut out, in place)" : ""}: ${s.quarantined.file}`,
        w,
      );
    for (const [label, d] of [
      ["golden", s.golden],
      ["quarantined", s.quarantined],
    ] as const) {
      if (!d?.detail.length) continue;
      const det = el("div", "details");
      det.append(el("div", "chart-title", `${label}: full detail near findings`));
      for (const p of d.detail) chart(det, p, d, s.findings, `${day(p.t0)}`, Math.floor((width - 16) / 2));
      sec.append(det);
    }
    if (s.strip) strip(sec, s.strip, width);
    if (s.history) sparklines(sec, s.history);
  };

  const vendorHost = document.getElementById("vendor-history");
  for (const [vendor, h] of Object.entries(doc.vendors ?? {})) {
    if (!vendorHost) break;
    const box = el("div", "vendor-history");
    box.dataset.vendor = vendor;
    box.append(el("div", "chart-title", `vendor ${vendor}: fetch latency per run`));
    sparklines(box, h);
    vendorHost.append(box);
  }

  const list = document.getElementById("series")!;
  const sections: [HTMLElement, SeriesDoc][] = [];
  for (const s of doc.series) {
    const sec = el("section", `series st-${s.status}`);
    sec.id = `s-${slug(`${s.symbol}-${s.interval}`)}`;
    sec.dataset.symbol = s.symbol;
    sec.dataset.interval = s.interval;
    const h = el("h3");
    h.append(el("span", "sym", `${s.symbol} ${s.interval}`), el("span", `badge st-${s.status}`, s.status));
    const facts = [
      `${s.rows} bars`,
      s.start ? `${day(Date.parse(s.start))} → ${day(Date.parse(s.end!))}` : "no bars",
      s.calendar,
      s.score === null ? "" : `score ${s.score}`,
    ];
    h.append(el("span", "facts", facts.filter(Boolean).join(" · ")));
    sec.append(h);
    list.append(sec);
    sections.push([sec, s]);
  }
  const ready = () =>
    requestAnimationFrame(() => {
      win.__dq.ms = performance.now() - t0;
      win.__dq.ready = true;
    });
  // A few dozen series are drawn at once; thousands are drawn as they scroll into view (ready after the first screen).
  if (sections.length <= 60 || !("IntersectionObserver" in window)) {
    for (const [sec, s] of sections) render(sec, s);
    ready();
  } else {
    const bySec = new Map(sections);
    let first = true;
    const io = new IntersectionObserver(
      (entries) => {
        for (const e of entries)
          if (e.isIntersecting) {
            io.unobserve(e.target);
            render(e.target as HTMLElement, bySec.get(e.target as HTMLElement)!);
          }
        if (first) ready();
        first = false;
      },
      { rootMargin: "400px" },
    );
    for (const [sec] of sections) io.observe(sec);
  }
}
