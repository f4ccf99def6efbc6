// One self-contained HTML page: styles, uPlot, the data and the script inlined; it opens from disk with no network.
import { chartLibrary } from "#runtime/chart.ts";
import type { Finding } from "../../model/finding.ts";
import { redactSecrets } from "../../redact.ts";
import type { Summary } from "../summary.ts";
import { reportClient } from "./client.ts";
import { explanations, type ReportDoc } from "./model.ts";

const WORST = 25;

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c as "&"] ?? c);
const slug = (s: string) => s.replace(/[^A-Za-z0-9]+/g, "-");
const anchor = (symbol: string, interval: string) => `#s-${slug(`${symbol}-${interval}`)}`;
const codeLink = (code: string) => `<a class="code" href="#code-${esc(code)}">${esc(code)}</a>`;

/** Inside a <script>, `</script` and `<!--` must not appear: escape every `<`. */
const scriptSafe = (s: string) => s.replace(/</g, "\\u003c");

function overview(summary: Summary): string {
  const tiles = Object.entries(summary.counts)
    .map(([k, v]) => `<div class="tile st-${esc(k)}"><b>${esc(v)}</b><span>${esc(k)}</span></div>`)
    .join("");
  const gate = `<div class="gate st-${esc(summary.status)}">gate: <b>${esc(summary.status)}</b> · exit ${esc(summary.exitCode)}</div>`;
  return `<section id="overview"><h2>Overview</h2>${gate}<div class="tiles">${tiles}</div></section>`;
}

function worstTable(findings: readonly Finding[]): string {
  const rank = (f: Finding) => (f.severity === "error" ? 0 : 1) + (f.details?.toxic ? -1 : 0);
  const worst = [...findings].sort((a, b) => rank(a) - rank(b)).slice(0, WORST);
  if (!worst.length) return `<section id="worst"><h2>Worst findings</h2><p>No findings.</p></section>`;
  const rows = worst
    .map((f) => {
      const where = f.symbol ? `<a href="${anchor(f.symbol, f.interval ?? "1d")}">${esc(f.symbol)} ${esc(f.interval ?? "")}</a>` : "";
      return `<tr class="sev-${esc(f.severity)}"><td>${esc(f.severity)}</td><td>${codeLink(f.code)}</td><td>${where}</td><td>${esc(f.message)}</td></tr>`;
    })
    .join("");
  const more = findings.length > WORST ? `<p>${findings.length - WORST} more in the series below.</p>` : "";
  return `<section id="worst"><h2>Worst findings</h2><table><thead><tr><th>severity</th><th>code</th><th>series</th><th>message</th></tr></thead><tbody>${rows}</tbody></table>${more}</section>`;
}

function quarantinedTable(summary: Summary, doc: ReportDoc): string {
  const held = (summary.quarantine as { symbol: string; files: string[]; isToxic?: boolean }[] | undefined) ?? [];
  if (!held.length) return `<section id="quarantined"><h2>Quarantined assets</h2><p>None.</p></section>`;
  const reasons = new Map<string, string[]>();
  for (const f of summary.findings) if (f.code === "quarantined" && f.symbol) reasons.set(f.symbol, (f.details?.reasons as string[] | undefined) ?? []);
  // Bars cut out of a commit: the reasons are what the quarantine's reason file recorded.
  for (const s of doc.series)
    if (s.quarantined && !reasons.has(s.symbol)) reasons.set(s.symbol, [...new Set((s.quarantined.findings ?? []).map((f) => f.code))]);
  const intervalOf = (sym: string) => summary.symbols.find((s) => s.symbol === sym)?.interval ?? "1d";
  const rows = held
    .map((q) => {
      const files = q.files.map((f) => esc(f.split(/[\\/]/).at(-1))).join("<br>");
      const why = (reasons.get(q.symbol) ?? []).map(codeLink).join(" ");
      return `<tr data-symbol="${esc(q.symbol)}"><td><a href="${anchor(q.symbol, intervalOf(q.symbol))}">${esc(q.symbol)}</a></td><td>${q.isToxic ? "toxic" : "bars cut out"}</td><td>${why}</td><td>${files}</td></tr>`;
    })
    .join("");
  return `<section id="quarantined"><h2>Quarantined assets</h2><table><thead><tr><th>asset</th><th>held as</th><th>reasons</th><th>files</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** This run's metric anomalies (each linking to its series, where its sparkline marks it) and the vendors' history. */
function historySection(summary: Summary, doc: ReportDoc): string {
  const found = summary.findings.filter((f) => f.code === "metric_anomaly");
  const withHistory = doc.series.filter((s) => s.history).length;
  const rows = found
    .map((f) => {
      const metric = String(f.details?.metric ?? "");
      const where = f.symbol
        ? `<a href="${anchor(f.symbol, f.interval ?? "1d")}">${esc(f.symbol)} ${esc(f.interval ?? "")}</a>`
        : `vendor ${esc(f.details?.vendor ?? "")}`;
      return `<tr class="sev-${esc(f.severity)}" data-metric="${esc(metric)}"><td>${where}</td><td>${esc(metric)}</td><td>${esc(f.message)}</td></tr>`;
    })
    .join("");
  const table = found.length
    ? `<table><thead><tr><th>series</th><th>metric</th><th>${codeLink("metric_anomaly")}</th></tr></thead><tbody>${rows}</tbody></table>`
    : `<p>No metric anomaly in this run.</p>`;
  const meta = `<p class="meta">${withHistory} of ${doc.series.length} series have a metric history (sparklines in their sections, a red dot at each flagged run).</p>`;
  return `<section id="history"><h2>Metric history</h2>${meta}${table}<div id="vendor-history"></div></section>`;
}

function glossary(doc: ReportDoc, summary: Summary): string {
  const codes = [
    ...summary.findings.map((f) => f.code),
    ...(doc.series.some((s) => s.history) ? ["metric_anomaly"] : []),
    ...summary.findings.flatMap((f) => (f.code === "quarantined" ? ((f.details?.reasons as string[] | undefined) ?? []) : [])),
    ...doc.series.flatMap((s) => [...(s.quarantined?.findings ?? []), ...(s.golden?.findings ?? [])].map((f) => f.code)),
  ];
  const items = [...explanations(codes)]
    .map(
      ([code, e]) =>
        `<dt id="code-${esc(code)}">${esc(code)}</dt><dd>${esc(e.rule)} <i>(default severity: ${esc(e.severity)}; \`dqctl explain ${esc(code)}\`)</i></dd>`,
    )
    .join("");
  return `<section id="codes"><h2>What the codes mean</h2><dl>${items}</dl></section>`;
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1000px;padding:16px;color:#1d3557;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;border-bottom:1px solid #ddd;margin-top:28px}h3{font-size:15px;margin:0 0 6px;display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.meta{color:#666}.tiles{display:flex;gap:8px;flex-wrap:wrap;margin-top:8px}.tile{border:1px solid #ddd;border-radius:6px;padding:6px 12px;min-width:70px;text-align:center}
.tile b{display:block;font-size:18px}.tile span{color:#666;font-size:12px}
.gate{display:inline-block;padding:6px 12px;border-radius:6px;background:#e9f5ee}.gate.st-error{background:#fde2e4}.gate.st-warning{background:#fff3cd}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border-bottom:1px solid #eee;padding:3px 6px;text-align:left;vertical-align:top}
tr.sev-error td:first-child,li.sev-error::marker{color:#c1121f}tr.sev-warning td:first-child{color:#b7791f}
.series{border:1px solid #e5e5e5;border-radius:8px;padding:10px 12px;margin:12px 0;content-visibility:auto;contain-intrinsic-size:auto 420px}.badge{font-size:12px;border-radius:10px;padding:1px 8px;background:#e9f5ee}
.badge.st-toxic,.badge.st-corrupt,.badge.st-missing,.badge.st-stale{background:#fde2e4}.badge.st-degraded{background:#fff3cd}.facts{color:#666;font-size:12px}
.findings{margin:4px 0 8px;padding-left:18px;font-size:13px}a.code{font-family:ui-monospace,monospace}
.charts,.details{display:flex;gap:16px;flex-wrap:wrap}.details{margin-top:6px}.details>.chart-title{flex-basis:100%}.chart-title{font-size:12px;color:#666;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.marker{position:absolute;top:0;width:0;height:100%;border-left:1px dashed rgba(193,18,31,.45);z-index:5}
.marker::before{content:"";position:absolute;left:-5px;top:0;border:5px solid transparent;border-top:8px solid #c1121f}
.marker.sev-warning{border-left-color:rgba(224,159,62,.5)}.marker.sev-warning::before{border-top-color:#e09f3e}
.strip{display:block;margin-top:6px;border-radius:2px}.strip-caption{font-size:12px;color:#666}
.sparks{display:flex;gap:10px;flex-wrap:wrap;margin-top:6px}.spark{margin:0;font-size:11px;color:#666}.spark svg{display:block;background:#f7f9fb;border-radius:3px}
.spark circle.anomaly{fill:#c1121f}.vendor-history{margin-top:8px}
dt{font-family:ui-monospace,monospace;margin-top:8px}dd{margin-left:16px}dt:target{background:#fff3cd}
`;

/** The whole page for `summary` and its data. */
export function renderHtml(summary: Summary, doc: ReportDoc): string {
  const lib = chartLibrary();
  const title = `dqctl ${summary.command} ${summary.runId}`;
  const meta = `run ${esc(summary.runId)} · ${esc(summary.command)} · finished ${esc(summary.finishedAt)} · ${doc.series.length} series`;
  const body = [
    `<header><h1>${esc(title)}</h1><div class="meta">${meta}</div></header>`,
    overview(summary),
    worstTable(summary.findings),
    quarantinedTable(summary, doc),
    historySection(summary, doc),
    `<section id="all"><h2>Series</h2><div id="series"></div></section>`,
    glossary(doc, summary),
  ].join("\n");
  const data = scriptSafe(redactSecrets(JSON.stringify(doc)));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${lib.css}${STYLE}</style></head>
<body>
${body}
<script type="application/json" id="dq-data">${data}</script>
<script>${lib.js}</script>
<script>(${reportClient.toString()})();</script>
</body></html>
`;
}
