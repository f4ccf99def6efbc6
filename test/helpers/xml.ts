// A strict, small XML 1.0 parser for the JUnit reports (no XML parser is installed): it refuses anything that is not
// well-formed (unbalanced or crossed tags, unquoted or repeated attributes, a raw '<' or a bare '&' in text or
// attribute values, unknown entities, characters XML forbids, text outside the root, more than one root) and returns
// the element tree with entities decoded, so tests can assert the shape a JUnit reader sees.

/** One element: name, attributes, children, and its text content (entities decoded, CDATA included). */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9._:-]*/;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const FORBIDDEN = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function decode(raw: string, where: string): string {
  if (raw.includes("<")) throw new Error(`${where}: raw '<'`);
  return raw.replace(/&([^;]*);?/g, (m, body: string) => {
    if (!m.endsWith(";")) throw new Error(`${where}: bare '&'`);
    if (body.startsWith("#x")) return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    if (body.startsWith("#")) return String.fromCodePoint(Number.parseInt(body.slice(1), 10));
    const e = ENTITIES[body];
    if (e === undefined) throw new Error(`${where}: unknown entity &${body};`);
    return e;
  });
}

/** Parse an XML document; throws on the first well-formedness error. */
export function parseXml(doc: string): XmlElement {
  if (FORBIDDEN.test(doc)) throw new Error("character not allowed in XML");
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`${msg} at offset ${i}: ${JSON.stringify(doc.slice(i, i + 40))}`);
  };
  const skipSpace = () => {
    while (i < doc.length && /\s/.test(doc[i]!)) i++;
  };
  if (doc.startsWith("<?xml")) {
    const end = doc.indexOf("?>");
    if (end < 0) fail("unterminated XML declaration");
    if (!/^<\?xml version="1\.[0-9]"( encoding="[A-Za-z0-9._-]+")?( standalone="(yes|no)")?\s*\?>$/.test(doc.slice(0, end + 2))) fail("bad XML declaration");
    i = end + 2;
  }
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (doc.startsWith("<!--", i)) {
        const end = doc.indexOf("-->", i + 4);
        if (end < 0) fail("unterminated comment");
        i = end + 3;
      } else return;
    }
  };
  skipMisc();
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < doc.length) {
    if (!stack.length && root) {
      skipMisc();
      if (i < doc.length) fail("content after the root element");
      break;
    }
    if (doc[i] !== "<") {
      const next = doc.indexOf("<", i);
      const raw = doc.slice(i, next < 0 ? doc.length : next);
      if (!stack.length) {
        if (raw.trim()) fail("text outside the root element");
      } else stack[stack.length - 1]!.text += decode(raw, "text");
      i = next < 0 ? doc.length : next;
      continue;
    }
    if (doc.startsWith("<!--", i)) {
      const end = doc.indexOf("-->", i + 4);
      if (end < 0 || doc.slice(i + 4, end).includes("--")) fail("bad comment");
      i = end + 3;
      continue;
    }
    if (doc.startsWith("<![CDATA[", i)) {
      if (!stack.length) fail("CDATA outside the root element");
      const end = doc.indexOf("]]>", i);
      if (end < 0) fail("unterminated CDATA");
      stack[stack.length - 1]!.text += doc.slice(i + 9, end);
      i = end + 3;
      continue;
    }
    if (doc.startsWith("</", i)) {
      i += 2;
      const m = NAME.exec(doc.slice(i));
      if (!m) fail("bad end tag");
      const open = stack.pop();
      if (!open || open.name !== m![0]) fail(`end tag </${m![0]}> does not match <${open?.name}>`);
      i += m![0].length;
      skipSpace();
      if (doc[i] !== ">") fail("bad end tag");
      i++;
      continue;
    }
    if (doc.startsWith("<?", i) || doc.startsWith("<!", i)) fail("processing instruction or declaration inside the document");
    i++;
    const m = NAME.exec(doc.slice(i));
    if (!m) fail("bad start tag");
    if (!stack.length && root) fail("a second root element");
    const el: XmlElement = { name: m![0], attrs: {}, children: [], text: "" };
    i += m![0].length;
    for (;;) {
      const before = i;
      skipSpace();
      if (doc[i] === ">" || doc.startsWith("/>", i)) break;
      if (i === before) fail("attributes must be separated by white space");
      const a = NAME.exec(doc.slice(i));
      if (!a) fail("bad attribute name");
      i += a![0].length;
      skipSpace();
      if (doc[i] !== "=") fail(`attribute ${a![0]} without a value`);
      i++;
      skipSpace();
      const q = doc[i];
      if (q !== '"' && q !== "'") fail(`attribute ${a![0]} value not quoted`);
      const end = doc.indexOf(q!, i + 1);
      if (end < 0) fail("unterminated attribute value");
      if (Object.hasOwn(el.attrs, a![0])) fail(`attribute ${a![0]} repeated`);
      el.attrs[a![0]] = decode(doc.slice(i + 1, end), `attribute ${a![0]}`);
      i = end + 1;
    }
    if (stack.length) stack[stack.length - 1]!.children.push(el);
    else root = el;
    if (doc.startsWith("/>", i)) i += 2;
    else {
      i++;
      stack.push(el);
    }
  }
  if (stack.length) fail(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (!root) fail("no root element");
  return root!;
}

/** Every descendant element named `name` (depth first). */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) {
    if (c.name === name) out.push(c);
    out.push(...findAll(c, name));
  }
  return out;
}

/** Assert a JUnit report's shape (testsuites > testsuite > properties?, testcase*; counts agree); returns the root. */
export function assertJunit(doc: string): XmlElement {
  const root = parseXml(doc);
  if (root.name !== "testsuites") throw new Error(`root is <${root.name}>, not <testsuites>`);
  const suites = root.children;
  if (!suites.length || suites.some((s) => s.name !== "testsuite")) throw new Error("<testsuites> must hold <testsuite> elements only");
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const s of suites) {
    for (const a of ["name", "tests", "failures", "errors", "skipped", "time", "timestamp"]) if (!(a in s.attrs)) throw new Error(`<testsuite> without ${a}`);
    const cases = s.children.filter((c) => c.name === "testcase");
    if (s.children.some((c) => c.name !== "testcase" && c.name !== "properties")) throw new Error("<testsuite> holds only <properties> and <testcase>");
    for (const p of findAll(s, "property")) if (!("name" in p.attrs) || !("value" in p.attrs)) throw new Error("<property> needs name and value");
    for (const c of cases) {
      if (!c.attrs.name || !c.attrs.classname) throw new Error("<testcase> needs name and classname");
      if (c.children.some((x) => !["failure", "error", "skipped", "system-out", "system-err"].includes(x.name)))
        throw new Error(`<testcase ${c.attrs.name}> has an unexpected child`);
      if (c.children.filter((x) => x.name === "failure" || x.name === "error").length > 1)
        throw new Error(`<testcase ${c.attrs.name}> has more than one failure/error`);
      for (const x of c.children)
        if ((x.name === "failure" || x.name === "error") && !("message" in x.attrs && "type" in x.attrs)) throw new Error(`<${x.name}> needs message and type`);
    }
    const count = (n: string) => cases.filter((c) => c.children.some((x) => x.name === n)).length;
    if (Number(s.attrs.tests) !== cases.length) throw new Error(`tests=${s.attrs.tests} but ${cases.length} testcases`);
    if (Number(s.attrs.failures) !== count("failure")) throw new Error(`failures=${s.attrs.failures} but ${count("failure")} failing testcases`);
    if (Number(s.attrs.errors) !== count("error")) throw new Error(`errors=${s.attrs.errors} but ${count("error")} erroring testcases`);
    if (!/^\d+(\.\d+)?$/.test(s.attrs.time!)) throw new Error(`time="${s.attrs.time}" is not seconds`);
    tests += cases.length;
    failures += count("failure");
    errors += count("error");
  }
  if (Number(root.attrs.tests) !== tests || Number(root.attrs.failures) !== failures || Number(root.attrs.errors) !== errors)
    throw new Error("<testsuites> totals disagree with its suites");
  return root;
}
