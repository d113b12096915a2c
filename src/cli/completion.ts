import type { CommandModule, OptionSpec } from './command.js';

// Shell completion scripts, written from the command modules so they list exactly the commands,
// aliases and options tend has. Process names are asked of the daemon at completion time
// (`tend completion --names`, with the -c/-s/-u/-p on the line being completed).

export type Shell = 'bash' | 'zsh' | 'fish';

const SIGNALS = 'HUP INT QUIT KILL USR1 USR2 TERM CONT STOP';
const GLOBAL_WITH_VALUE = '-c --configuration -s --serverurl -u --username -p --password';
const GLOBAL_FLAGS = `${GLOBAL_WITH_VALUE} -h --help -v --version`;

/** How a command's positional words complete: process names, a signal then names, fixed words. */
type Words =
  | { readonly kind: 'names' }
  | { readonly kind: 'signal' }
  | { readonly kind: 'fixed'; readonly words: string };

const wordsOf = (m: CommandModule): Words | null => {
  const first = m.args[0];
  if (first === undefined) return null;
  if (first.name === 'signal') return { kind: 'signal' };
  if (first.choices !== undefined) return { kind: 'fixed', words: first.choices.join(' ') };
  return ['name', 'names', 'groups'].includes(first.name) ? { kind: 'names' } : null;
};

const flagsOf = (options: readonly OptionSpec[]): string =>
  options.flatMap((o) => o.flags.split(/[ ,]+/).filter((f) => f.startsWith('-'))).join(' ');

const namesOf = (m: CommandModule): string => [m.name, ...m.aliases].join(' ');

const BASH_HEAD = `# tend completion for bash: source <(tend completion bash)
# The names of the daemon's processes, asked with the -c/-s/-u/-p typed on the line (_tend's globals).
_tend_names() { tend "\${globals[@]}" completion --names 2>/dev/null; }
_tend() {
  local line=\${COMP_LINE:0:COMP_POINT} cur="" cmd="" cmdat=0 i
  local -a words globals=()
  read -ra words <<< "$line"
  if [[ $line != *" " ]]; then cur=\${words[-1]}; unset 'words[-1]'; fi
  for ((i = 1; i < \${#words[@]}; i++)); do
    case \${words[i]} in
      ${GLOBAL_WITH_VALUE.split(' ').join('|')}) globals+=("\${words[i]}" "\${words[i+1]}"); ((i++)) ;;
      -*) ;;
      *) cmd=\${words[i]}; cmdat=$i; break ;;
    esac
  done
  local prev=\${words[-1]} reply=""
  if [[ $prev == -c || $prev == --configuration || $prev == --config ]]; then
    COMPREPLY=($(compgen -f -- "$cur")); return
  fi
  case $cmd in
    "") reply="$COMMANDS ${GLOBAL_FLAGS}" ;;
`;

const BASH_TAIL = `  esac
  COMPREPLY=($(compgen -W "$reply" -- "$cur"))
  # bash splits words at ':' (group:name): hand back only what follows the last ':'.
  if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
    local prefix=\${cur%"\${cur##*:}"}
    COMPREPLY=("\${COMPREPLY[@]#"$prefix"}")
  fi
}
complete -F _tend tend
`;

const bashArm = (m: CommandModule): string => {
  const words = wordsOf(m);
  const flags = flagsOf(m.options);
  const body =
    words?.kind === 'names'
      ? `reply="${flags} $(_tend_names)"`
      : words?.kind === 'signal'
        ? `if ((\${#words[@]} == cmdat + 1)); then reply="${SIGNALS}"; else reply="${flags} $(_tend_names)"; fi`
        : `reply="${flags} ${words?.kind === 'fixed' ? words.words : ''}"`;
  return `    ${[m.name, ...m.aliases].join('|')}) ${body} ;;\n`;
};

const bash = (commands: readonly CommandModule[]): string =>
  BASH_HEAD.replace('$COMMANDS', commands.map(namesOf).join(' ')) +
  commands.map(bashArm).join('') +
  BASH_TAIL;

const ZSH_HEAD = `#compdef tend
# tend completion for zsh: source <(tend completion zsh), after compinit
_tend() {
  local -a globals commands names opts
  local i cmd cmdat
  for (( i = 2; i < CURRENT; i++ )); do
    case \${words[i]} in
      (${GLOBAL_WITH_VALUE.split(' ').join('|')}) globals+=(\${words[i]} \${words[i+1]}); (( i++ )) ;;
      (-*) ;;
      (*) cmd=\${words[i]}; cmdat=$i; break ;;
    esac
  done
  case \${words[CURRENT-1]} in
    (-c|--configuration|--config) _files; return ;;
  esac
  if [[ -z $cmd ]]; then
    commands=(
`;

const ZSH_MIDDLE = `    )
    _describe -t commands 'tend command' commands
    compadd -- ${GLOBAL_FLAGS}
    return
  fi
  case $cmd in
`;

const ZSH_TAIL = `  esac
  compadd -a opts
  compadd -a names
}
compdef _tend tend
`;

const zshNames = '${(f)"$(tend $globals completion --names 2>/dev/null)"}';

const zshArm = (m: CommandModule): string => {
  const words = wordsOf(m);
  const opts = `opts=(${flagsOf(m.options)})`;
  const names =
    words?.kind === 'names'
      ? `names=(${zshNames})`
      : words?.kind === 'signal'
        ? `if (( CURRENT == cmdat + 1 )); then names=(${SIGNALS}); else names=(${zshNames}); fi`
        : `names=(${words?.kind === 'fixed' ? words.words : ''})`;
  return `    (${[m.name, ...m.aliases].join('|')}) ${opts}; ${names} ;;\n`;
};

/** One `name:description` word of _describe, single-quoted for zsh. */
const zshEntry = (name: string, summary: string): string =>
  `      '${`${name}:${summary}`.replace(/'/g, "'\\''")}'\n`;

const zsh = (commands: readonly CommandModule[]): string =>
  ZSH_HEAD +
  commands.flatMap((m) => [m.name, ...m.aliases].map((n) => zshEntry(n, m.summary))).join('') +
  ZSH_MIDDLE +
  commands.map(zshArm).join('') +
  ZSH_TAIL;

const FISH_HEAD = `# tend completion for fish: tend completion fish > ~/.config/fish/completions/tend.fish
function __tend_words
    set -l words (commandline -opc)
    set -e words[1]
    set -l globals
    while set -q words[1]
        switch $words[1]
            case ${GLOBAL_WITH_VALUE}
                set -a globals $words[1] $words[2]
                set -e words[1]
                set -q words[1]; and set -e words[1]
            case '-*'
                set -e words[1]
            case '*'
                echo command $words[1]
                break
        end
    end
    for g in $globals
        echo global $g
    end
end
function __tend_command
    __tend_words | string match -r '^command (.*)' | tail -n 1
end
function __tend_using
    contains -- (__tend_words | string replace -rf '^command ' '') $argv
end
function __tend_names
    tend (__tend_words | string replace -rf '^global ' '') completion --names 2>/dev/null
end
complete -c tend -f
complete -c tend -n 'not __tend_words | string match -q "command *"' -s c -l configuration -r -F -d 'config file'
complete -c tend -n 'not __tend_words | string match -q "command *"' -s s -l serverurl -r -d 'daemon URL'
`;

const fishQuote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const fishLines = (m: CommandModule): string[] => {
  const using = `-n '__tend_using ${namesOf(m)}'`;
  const lines = [m.name, ...m.aliases].map(
    (n) =>
      `complete -c tend -n 'not __tend_words | string match -q "command *"' -a ${n} -d ${fishQuote(m.summary)}`,
  );
  for (const o of m.options) {
    const long = /--([a-z-]+)/.exec(o.flags)?.[1];
    const short = /^-([a-zA-Z]),/.exec(o.flags)?.[1];
    if (long === undefined) continue;
    const value = o.flags.includes('<') ? ' -r' : '';
    lines.push(
      `complete -c tend ${using}${short === undefined ? '' : ` -s ${short}`} -l ${long}${value} -d ${fishQuote(o.description)}`,
    );
  }
  const words = wordsOf(m);
  if (words?.kind === 'names' || words?.kind === 'signal')
    lines.push(`complete -c tend ${using} -a '(__tend_names)'`);
  if (words?.kind === 'signal') lines.push(`complete -c tend ${using} -a '${SIGNALS}'`);
  if (words?.kind === 'fixed') lines.push(`complete -c tend ${using} -a '${words.words}'`);
  return lines;
};

const fish = (commands: readonly CommandModule[]): string =>
  `${FISH_HEAD}${commands.flatMap(fishLines).join('\n')}\n`;

/** The completion script for `shell`. */
export const completionScript = (shell: Shell, commands: readonly CommandModule[]): string =>
  shell === 'bash' ? bash(commands) : shell === 'zsh' ? zsh(commands) : fish(commands);
