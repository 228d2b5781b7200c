import bash from '@ast-grep/lang-bash';
import { parse, registerDynamicLanguage, type SgNode } from '@ast-grep/napi';

let registered = false;

export interface Redirect {
  op: string;
  target: string;
}

/** One simple command found anywhere in a command line, nested ones (`$(…)`, `<(…)`, subshells) included. */
export interface SimpleCommand {
  /** Leading `VAR=value` assignments. */
  env: { name: string; value: string }[];
  /** Words after quote removal; expansions kept as written (`$HOME`, `$(…)`). */
  words: string[];
  redirects: Redirect[];
  /** True when this command sits inside a substitution, subshell or control structure. */
  nested: boolean;
  /** True when the command name itself comes from an expansion (`$CMD args`), so no rule can know it. */
  dynamicName: boolean;
}

export interface ParsedCommand {
  commands: SimpleCommand[];
  /** tree-sitter could not parse all of it; rules must not allow what they cannot read. */
  unparseable: boolean;
  /** Features that make prefix matching unreliable: substitution, process substitution, eval-like forms. */
  hasSubstitution: boolean;
}

function decodeAnsiC(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|[0-7]{1,3}|.)/g, (_, esc: string) => {
    if (esc[0] === 'x' || esc[0] === 'u') return String.fromCodePoint(Number.parseInt(esc.slice(1), 16));
    if (/^[0-7]+$/.test(esc)) return String.fromCharCode(Number.parseInt(esc, 8));
    return (
      (
        { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v' } as Record<
          string,
          string
        >
      )[esc] ?? esc
    );
  });
}

/** The value of a word as the shell would see it after quote removal (expansions left as written). */
function wordValue(node: SgNode): string {
  switch (String(node.kind())) {
    case 'word':
    case 'number':
      return node.text().replace(/\\(.)/gs, '$1');
    case 'raw_string':
      return node.text().slice(1, -1);
    case 'ansi_c_string':
      return decodeAnsiC(node.text().slice(2, -1));
    case 'translated_string':
      return node.text().slice(2, -1);
    case 'string':
      return node
        .children()
        .filter((c) => String(c.kind()) !== '"')
        .map((c) =>
          String(c.kind()) === 'string_content' ? c.text().replace(/\\([$`"\\\n])/g, '$1') : c.text(),
        )
        .join('');
    case 'concatenation':
      return node
        .children()
        .map((c) => wordValue(c))
        .join('');
    default:
      return node.text();
  }
}

const NESTING = new Set([
  'command_substitution',
  'process_substitution',
  'subshell',
  'compound_statement',
  'for_statement',
  'c_style_for_statement',
  'while_statement',
  'if_statement',
  'case_statement',
  'function_definition',
]);

/**
 * Parses a command line with tree-sitter-bash and lists every simple command in it, however deeply nested:
 * that is what deny and ask rules must see, and what an allow rule must cover completely.
 */
/** A command line of plain words: no quotes, expansions, operators, redirections, comments or keywords. */
const PLAIN_WORDS = /^[A-Za-z0-9_./:=@%+,~*?-]+(?: [A-Za-z0-9_./:=@%+,~*?-]+)*$/;
const KEYWORDS = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'for',
  'while',
  'until',
  'do',
  'done',
  'case',
  'esac',
  'select',
  'function',
  'time',
  'coproc',
]);

/**
 * The shell would split a plain line exactly at its single spaces, so it needs no parser; this is the
 * common case (`npm test`, `git status`) and skips the native parse. Anything else goes to tree-sitter.
 */
function parsePlain(source: string): ParsedCommand | undefined {
  if (!PLAIN_WORDS.test(source)) return undefined;
  const tokens = source.split(' ');
  if (KEYWORDS.has(tokens[0]!)) return undefined;
  const env: { name: string; value: string }[] = [];
  let i = 0;
  for (; i < tokens.length; i++) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(tokens[i]!);
    if (!m) break;
    env.push({ name: m[1]!, value: m[2]! });
  }
  const words = tokens.slice(i);
  if (words.length === 0) return undefined;
  return {
    commands: [{ env, words, redirects: [], nested: false, dynamicName: false }],
    unparseable: false,
    hasSubstitution: false,
  };
}

export function parseCommandLine(source: string): ParsedCommand {
  const plain = parsePlain(source);
  if (plain) return plain;
  if (!registered) {
    registerDynamicLanguage({ bash: bash as never });
    registered = true;
  }
  const root = parse('bash' as never, source).root();
  const commands: SimpleCommand[] = [];
  let hasSubstitution = false;
  const unparseable =
    root.find({ rule: { kind: 'ERROR' } }) !== null || (mayHaveMissingTokens(source) && hasMissing(root));
  // Speed gate: without these characters no command or process substitution can exist.
  const maySubstitute = /\$\(|`|[<>]\(/.test(source);

  const visit = (node: SgNode, nested: boolean, pendingRedirects: Redirect[]) => {
    const kind = String(node.kind());
    if (kind === 'command_substitution' || kind === 'process_substitution') hasSubstitution = true;
    if (kind === 'redirected_statement') {
      const redirects: Redirect[] = [];
      for (const c of node.children()) {
        if (String(c.kind()).endsWith('_redirect')) {
          const r = toRedirect(c);
          if (r) redirects.push(r);
          for (const inner of c.children()) visit(inner, nested, []);
        }
      }
      const body = node.field('body') ?? node.children().find((c) => !String(c.kind()).endsWith('_redirect'));
      if (body) visit(body, nested, redirects);
      return;
    }
    if (kind === 'command') {
      const env: { name: string; value: string }[] = [];
      const words: string[] = [];
      const redirects: Redirect[] = [...pendingRedirects];
      let dynamicName = false;
      for (const c of node.children()) {
        const ck = String(c.kind());
        if (ck === 'variable_assignment') {
          const name = c.field('name')?.text() ?? '';
          const value = c.field('value');
          env.push({ name, value: value ? wordValue(value) : '' });
          if (value) for (const inner of value.children()) visit(inner, true, []);
        } else if (ck === 'command_name') {
          const inner = c.children()[0];
          if (inner) {
            words.push(wordValue(inner));
            if (
              /expansion|substitution/.test(String(inner.kind())) ||
              inner.find({ rule: { kind: 'simple_expansion' } })
            )
              dynamicName = true;
          }
          for (const inner2 of c.children()) descendNested(inner2);
        } else if (ck.endsWith('_redirect')) {
          const r = toRedirect(c);
          if (r) redirects.push(r);
        } else if (ck !== 'comment') {
          words.push(wordValue(c));
          descendNested(c);
        }
      }
      commands.push({ env, words, redirects, nested, dynamicName });
      return;
    }
    if (kind === 'declaration_command' || kind === 'unset_command') {
      // `export -p`, `declare -x`, `unset PATH`: builtins tree-sitter parses as declarations still run.
      const words = node
        .children()
        .map((c) => (String(c.kind()) === 'variable_assignment' ? c.text() : wordValue(c)));
      for (const c of node.children()) descendNested(c);
      commands.push({ env: [], words, redirects: [...pendingRedirects], nested, dynamicName: false });
      return;
    }
    const nests = NESTING.has(kind);
    for (const c of node.children()) visit(c, nested || nests, nests ? [] : pendingRedirects);
  };

  /** Commands hidden inside an argument (`echo "$(rm -rf ~)"`) run too. */
  const descendNested = (node: SgNode) => {
    if (!maySubstitute) return;
    for (const sub of node.findAll({
      rule: { any: [{ kind: 'command_substitution' }, { kind: 'process_substitution' }] },
    })) {
      hasSubstitution = true;
      for (const c of sub.children()) visit(c, true, []);
    }
    if (String(node.kind()) === 'command_substitution' || String(node.kind()) === 'process_substitution') {
      hasSubstitution = true;
      for (const c of node.children()) visit(c, true, []);
    }
  };

  visit(root, false, []);
  return { commands: dedupe(commands), unparseable, hasSubstitution };
}

/**
 * tree-sitter inserts zero-width MISSING tokens only for unclosed constructs: a quote, a bracket, or a
 * compound command without its closing keyword. When none can be open, the tree walk is skipped.
 */
function mayHaveMissingTokens(source: string): boolean {
  const count = (re: RegExp) => (source.match(re) ?? []).length;
  if (/\b(if|then|fi|for|while|until|do|done|case|esac|select|function)\b/.test(source)) return true;
  if (count(/\(/g) !== count(/\)/g) || count(/\{/g) !== count(/\}/g) || count(/\[/g) !== count(/\]/g))
    return true;
  return count(/"/g) % 2 !== 0 || count(/'/g) % 2 !== 0 || count(/`/g) % 2 !== 0;
}

function hasMissing(root: SgNode): boolean {
  // tree-sitter marks inserted tokens as "missing" rather than ERROR; their text is empty.
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.isLeaf() && n.text() === '' && String(n.kind()) !== 'program') return true;
    stack.push(...n.children());
  }
  return false;
}

function toRedirect(node: SgNode): Redirect | null {
  const children = node.children();
  const op = children.find((c) => /^[<>&|]+$|^&>>?$|^>\|$/.test(String(c.kind())))?.text() ?? '';
  if (String(node.kind()) === 'heredoc_redirect' || String(node.kind()) === 'herestring_redirect')
    return null;
  const targetNode = node.field('destination') ?? children[children.length - 1];
  if (!targetNode) return null;
  return { op, target: wordValue(targetNode) };
}

function dedupe(cmds: SimpleCommand[]): SimpleCommand[] {
  const seen = new Set<string>();
  return cmds.filter((c) => {
    const key = JSON.stringify(c);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
