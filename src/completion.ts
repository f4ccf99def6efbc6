// Shell completion scripts for bash, zsh and fish, generated from a plain description of the commands (the
// command layer builds it from the real flag declarations, so completion never drifts from the parser).

/** One flag: `--name`, whether it takes a value, and the values it accepts when they are a fixed set. */
export interface FlagSpec {
  name: string;
  description: string;
  takesValue: boolean;
  values?: readonly string[];
}

/** A command (or subcommand) with its own flags and, for positionals, the words it accepts. */
export interface CommandSpec {
  name: string;
  description: string;
  flags: FlagSpec[];
  words?: readonly string[];
  subcommands?: CommandSpec[];
}

/** What the scripts complete. */
export interface CompletionModel {
  program: string;
  commands: CommandSpec[];
  globalFlags: FlagSpec[];
}

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

function allFlags(m: CompletionModel): FlagSpec[] {
  const out = new Map<string, FlagSpec>();
  const add = (f: FlagSpec) => out.set(f.name, f);
  m.globalFlags.forEach(add);
  for (const c of m.commands) {
    c.flags.forEach(add);
    for (const s of c.subcommands ?? []) s.flags.forEach(add);
  }
  return [...out.values()];
}

/** Every (command, subcommand) pair with the flags valid there (globals included). */
function scopes(m: CompletionModel): { key: string; spec: CommandSpec }[] {
  const out: { key: string; spec: CommandSpec }[] = [];
  for (const c of m.commands) {
    out.push({ key: c.name, spec: c });
    for (const s of c.subcommands ?? []) out.push({ key: `${c.name} ${s.name}`, spec: s });
  }
  return out;
}

/** Commands that have subcommands (their second word is the subcommand, not an argument). */
const nested = (m: CompletionModel) =>
  m.commands
    .filter((c) => c.subcommands?.length)
    .map((c) => c.name)
    .join(" ");

function bash(m: CompletionModel): string {
  const fn = `_${m.program}`;
  const valued = allFlags(m)
    .filter((f) => f.takesValue)
    .map((f) => `--${f.name}`);
  const globals = m.globalFlags.map((f) => `--${f.name}`).join(" ");
  const valueCases = allFlags(m)
    .filter((f) => f.values?.length)
    .map((f) => `    --${f.name}) COMPREPLY=($(compgen -W ${sq(f.values!.join(" "))} -- "$cur")); return ;;`);
  const flagCases = scopes(m).map(({ key, spec }) => `    ${sq(key)}) flags=${sq(spec.flags.map((f) => `--${f.name}`).join(" "))} ;;`);
  const wordCases = scopes(m).flatMap(({ key, spec }) => {
    const words = [...(spec.words ?? []), ...(spec.subcommands ?? []).map((s) => s.name)];
    return words.length ? [`    ${sq(key)}) words=${sq(words.join(" "))} ;;`] : [];
  });
  return `# ${m.program} bash completion. Load it with: eval "$(${m.program} completion bash)"
# or save it: ${m.program} completion bash > /etc/bash_completion.d/${m.program}
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local valued=" ${valued.join(" ")} " nested=" ${nested(m)} "
  local cmd="" sub="" i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if [[ "$valued" == *" $w "* ]]; then ((i++)); continue; fi
    [[ "$w" == -* ]] && continue
    if [[ -z "$cmd" ]]; then cmd="$w"; elif [[ -z "$sub" && "$nested" == *" $cmd "* ]]; then sub="$w"; fi
  done
  case "$prev" in
${valueCases.join("\n")}
  esac
  if [[ "$valued" == *" $prev "* ]]; then COMPREPLY=($(compgen -f -- "$cur")); return; fi
  if [[ -z "$cmd" ]]; then
    if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W ${sq(`${globals} --help --version`)} -- "$cur"));
    else COMPREPLY=($(compgen -W ${sq(m.commands.map((c) => c.name).join(" "))} -- "$cur")); fi
    return
  fi
  local key="$cmd"
  [[ -n "$sub" ]] && key="$cmd $sub"
  local flags="" words=""
  case "$key" in
${flagCases.join("\n")}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$flags --help" -- "$cur")); return; fi
  case "$key" in
${wordCases.join("\n")}
  esac
  if [[ -n "$words" ]]; then COMPREPLY=($(compgen -W "$words" -- "$cur")); return; fi
  COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o default -F ${fn} ${m.program}
`;
}

function zsh(m: CompletionModel): string {
  const fn = `_${m.program}`;
  const item = (name: string, d: string) => sq(`${name.replace(/:/g, "\\:")}:${oneLine(d)}`);
  const valued = allFlags(m)
    .filter((f) => f.takesValue)
    .map((f) => `--${f.name}`);
  const valueCases = allFlags(m)
    .filter((f) => f.values?.length)
    .map((f) => `    --${f.name}) compadd -- ${f.values!.map(sq).join(" ")}; return ;;`);
  const flagCases = scopes(m).map(({ key, spec }) => `    ${sq(key)}) flags=(${spec.flags.map((f) => item(`--${f.name}`, f.description)).join(" ")}) ;;`);
  const wordCases = scopes(m).flatMap(({ key, spec }) => {
    const items = [...(spec.words ?? []).map((w) => item(w, spec.description)), ...(spec.subcommands ?? []).map((s) => item(s.name, s.description))];
    return items.length ? [`    ${sq(key)}) items=(${items.join(" ")}) ;;`] : [];
  });
  return `#compdef ${m.program}
# ${m.program} zsh completion. Save it as ${fn} in a folder on $fpath, or load it with: source <(${m.program} completion zsh)
${fn}() {
  local -a valued=(${valued.join(" ")}) nested=(${nested(m)})
  local -a flags items
  local cmd="" sub="" i w key
  for ((i = 2; i < CURRENT; i++)); do
    w=\${words[i]}
    if (( \${valued[(Ie)$w]} )); then (( i++ )); continue; fi
    [[ $w == -* ]] && continue
    if [[ -z $cmd ]]; then cmd=$w; elif [[ -z $sub ]] && (( \${nested[(Ie)$cmd]} )); then sub=$w; fi
  done
  case \${words[CURRENT-1]} in
${valueCases.join("\n")}
  esac
  if (( \${valued[(Ie)\${words[CURRENT-1]}]} )); then _files; return; fi
  if [[ -z $cmd ]]; then
    items=(${m.commands.map((c) => item(c.name, c.description)).join(" ")})
    flags=(${[...m.globalFlags.map((f) => item(`--${f.name}`, f.description)), item("--help", "show help"), item("--version", "print the version")].join(" ")})
    if [[ $PREFIX == -* ]]; then _describe 'flag' flags; else _describe 'command' items; fi
    return
  fi
  key=$cmd
  [[ -n $sub ]] && key="$cmd $sub"
  case $key in
${flagCases.join("\n")}
  esac
  if [[ $PREFIX == -* ]]; then _describe 'flag' flags; return; fi
  case $key in
${wordCases.join("\n")}
  esac
  if (( \${#items} )); then _describe 'argument' items; return; fi
  _files
}
if [[ \${funcstack[1]} == ${fn} ]]; then ${fn} "$@"; else compdef ${fn} ${m.program}; fi
`;
}

function fish(m: CompletionModel): string {
  const p = m.program;
  const names = m.commands.map((c) => c.name).join(" ");
  const flagLine = (f: FlagSpec, cond?: string) => {
    const parts = [`complete -c ${p}`];
    if (cond) parts.push(`-n ${sq(cond)}`);
    parts.push(`-l ${f.name}`);
    if (f.values?.length) parts.push(`-x -a ${sq(f.values.join(" "))}`);
    else if (f.takesValue) parts.push("-r -F");
    parts.push(`-d ${sq(oneLine(f.description))}`);
    return parts.join(" ");
  };
  const lines = [
    `# ${p} fish completion. Save it: ${p} completion fish > ~/.config/fish/completions/${p}.fish`,
    ...m.commands.map((c) => `complete -c ${p} -n ${sq(`not __fish_seen_subcommand_from ${names}`)} -f -a ${c.name} -d ${sq(oneLine(c.description))}`),
    ...m.globalFlags.map((f) => flagLine(f)),
  ];
  for (const c of m.commands) {
    const own = c.flags.filter((f) => !m.globalFlags.some((g) => g.name === f.name));
    const subNames = (c.subcommands ?? []).map((s) => s.name).join(" ");
    const here = subNames ? `__fish_seen_subcommand_from ${c.name}; and not __fish_seen_subcommand_from ${subNames}` : `__fish_seen_subcommand_from ${c.name}`;
    for (const f of own) lines.push(flagLine(f, here));
    if (c.words?.length) lines.push(`complete -c ${p} -n ${sq(here)} -f -a ${sq(c.words.join(" "))}`);
    for (const s of c.subcommands ?? []) {
      lines.push(`complete -c ${p} -n ${sq(here)} -f -a ${s.name} -d ${sq(oneLine(s.description))}`);
      const cond = `__fish_seen_subcommand_from ${c.name}; and __fish_seen_subcommand_from ${s.name}`;
      for (const f of s.flags.filter((f) => !m.globalFlags.some((g) => g.name === f.name))) lines.push(flagLine(f, cond));
      if (s.words?.length) lines.push(`complete -c ${p} -n ${sq(cond)} -f -a ${sq(s.words.join(" "))}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The completion script for `shell`. */
export function completionScript(shell: Shell, model: CompletionModel): string {
  return shell === "bash" ? bash(model) : shell === "zsh" ? zsh(model) : fish(model);
}
