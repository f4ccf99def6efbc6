// ANSI colour for tables, on or off as a whole (the caller decides from the TTY, NO_COLOR and --no-color).

/** Colour functions; identity when colour is off. */
export interface Paint {
  on: boolean;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  magenta(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const id = (s: string) => s;

/** A palette, or the identity palette when `on` is false. */
export function paint(on: boolean): Paint {
  if (!on) return { on, red: id, yellow: id, green: id, magenta: id, dim: id, bold: id };
  return { on, red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39), magenta: sgr(35, 39), dim: sgr(2, 22), bold: sgr(1, 22) };
}

/** A finding severity or run status, coloured by how bad it is. */
export function severityText(p: Paint, s: string): string {
  if (s === "error") return p.red(s);
  if (s === "warning") return p.yellow(s);
  if (s === "ok") return p.green(s);
  return s;
}

/** A series status, coloured: healthy green, degraded/stale yellow, missing red, toxic magenta. */
export function seriesStatusText(p: Paint, s: string): string {
  if (s === "healthy") return p.green(s);
  if (s === "degraded" || s === "stale") return p.yellow(s);
  if (s === "missing") return p.red(s);
  if (s === "toxic") return p.magenta(s);
  return s;
}

/** Remove ANSI colour codes (for width arithmetic and tests). */
export function stripAnsi(s: string): string {
  return s.replace(/\x1b\[[0-9;]*m/g, "");
}
