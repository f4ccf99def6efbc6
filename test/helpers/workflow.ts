// GitHub Actions workflow commands as the runner reads them (actions/toolkit command.ts): `::cmd k=v,k=v::data`,
// property values escaping % CR LF : ,  and data escaping % CR LF.

export interface WorkflowCommand {
  command: string;
  props: Record<string, string>;
  message: string;
}

const PROPS = new Set(["title", "file", "line", "endLine", "col", "endColumn"]);

function unescape(s: string, property: boolean): string {
  const allowed = property ? /%(25|0D|0A|3A|2C)/g : /%(25|0D|0A)/g;
  if (s.replace(allowed, "").includes("%")) throw new Error(`unescaped % in ${JSON.stringify(s)}`);
  return s.replace(allowed, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** Parse one line as a workflow command; throws when it is not one (or is escaped wrongly). */
export function parseWorkflowCommand(line: string): WorkflowCommand {
  const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!m) throw new Error(`not a workflow command: ${JSON.stringify(line)}`);
  if (/[\r\n]/.test(line)) throw new Error("raw line break in a workflow command");
  const props: Record<string, string> = {};
  for (const kv of m[2] ? m[2].split(",") : []) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new Error(`bad property ${JSON.stringify(kv)}`);
    const key = kv.slice(0, eq);
    if (!PROPS.has(key)) throw new Error(`unknown property ${key}`);
    props[key] = unescape(kv.slice(eq + 1), true);
  }
  return { command: m[1]!, props, message: unescape(m[3]!, false) };
}
