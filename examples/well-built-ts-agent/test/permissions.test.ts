import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluate, type Policy, parseRule, type Rule } from '../src/permissions/engine.js';
import { loadPolicy } from '../src/permissions/rules.js';

const workspace = fileURLToPath(new URL('..', import.meta.url));

function policy(rules: Partial<Record<Rule['decision'], string[]>>): Policy {
  return {
    workspace,
    rules: (['deny', 'ask', 'allow'] as const).flatMap((decision) =>
      (rules[decision] ?? []).map((text) => parseRule(text, decision, 'test')),
    ),
  };
}

describe('permission engine', () => {
  it('lets a deny beat an allow for the same call', () => {
    const p = policy({ allow: ['read_file'], deny: ['read_file(.env)'] });
    expect(evaluate(p, { tool: 'read_file', input: { path: '.env' } }, 'default')).toMatchObject({
      decision: 'deny',
      rule: 'read_file(.env)',
    });
    expect(evaluate(p, { tool: 'read_file', input: { path: 'README.md' } }, 'default').decision).toBe('allow');
  });

  it('lets an ask beat an allow, and turns it into a deny when nobody can be asked', () => {
    const p = policy({ allow: ['write_file(docs/**)'], ask: ['write_file(docs/decisions/**)'] });
    const call = { tool: 'write_file', input: { path: 'docs/decisions/1.md', content: '' } };
    expect(evaluate(p, call, 'default').decision).toBe('ask');
    expect(evaluate(p, call, 'dontAsk').decision).toBe('deny');
  });

  it('asks when no rule matches, and denies in unattended mode', () => {
    const call = { tool: 'write_file', input: { path: 'src/a.ts', content: '' } };
    expect(evaluate(policy({}), call, 'default').decision).toBe('ask');
    expect(evaluate(policy({}), call, 'dontAsk').decision).toBe('deny');
  });

  it('denies paths outside the workspace before looking at any rule', () => {
    const p = policy({ allow: ['read_file'] });
    for (const path of ['../outside.txt', '/etc/passwd', 'src/../../x'])
      expect(evaluate(p, { tool: 'read_file', input: { path } }, 'default').decision).toBe('deny');
  });

  it('matches bare file names at any depth and folder patterns from the root', () => {
    const p = policy({ deny: ['read_file(.env)', 'read_file(build/**)'] });
    const decide = (path: string) => evaluate(p, { tool: 'read_file', input: { path } }, 'default').decision;
    expect(decide('packages/api/.env')).toBe('deny');
    expect(decide('build/out.js')).toBe('deny');
    expect(decide('src/build/out.js')).toBe('ask');
    expect(decide('.envrc')).toBe('ask');
  });

  it('matches domains exactly, or any subdomain with a leading wildcard', () => {
    const p = policy({ allow: ['fetch_url(domain:example.com)', 'fetch_url(domain:*.wikipedia.org)'] });
    const decide = (url: string) => evaluate(p, { tool: 'fetch_url', input: { url } }, 'default').decision;
    expect(decide('https://example.com/a')).toBe('allow');
    expect(decide('https://en.wikipedia.org/wiki/Plumb-bob')).toBe('allow');
    expect(decide('https://example.com.evil.test/')).toBe('ask');
    expect(decide('https://wikipedia.org/')).toBe('ask');
  });

  it('applies rules written with Claude Code tool names to the matching tools of this agent', () => {
    const p = policy({ allow: ['read_file', 'search', 'write_file'], deny: ['Read(.env)', 'Edit(.claude/**)'] });
    expect(evaluate(p, { tool: 'read_file', input: { path: 'app/.env' } }, 'default').decision).toBe('deny');
    expect(evaluate(p, { tool: 'search', input: { pattern: 'KEY', path: '.env' } }, 'default').decision).toBe('deny');
    expect(evaluate(p, { tool: 'write_file', input: { path: '.claude/settings.json', content: '' } }, 'default')).toMatchObject({
      decision: 'deny',
      rule: 'Edit(.claude/**)',
    });
  });

  it('never lets a wildcard allow admit MCP or plugin tools', () => {
    const p = policy({ allow: ['*', 'mcp__notes__search'] });
    expect(evaluate(p, { tool: 'mcp__files__delete', input: {} }, 'default').decision).toBe('ask');
    expect(evaluate(p, { tool: 'mcp__notes__search', input: {} }, 'default').decision).toBe('allow');
    expect(evaluate(p, { tool: 'read_file', input: { path: 'a' } }, 'default').decision).toBe('allow');
  });

  it('rejects a rule it cannot read, naming the file', () => {
    expect(() => parseRule('read_file(.env', 'deny', '.claude/settings.json')).toThrow(/settings\.json/);
  });
});

describe('the shipped rules in .claude/settings.json', () => {
  const shipped = loadPolicy(workspace);
  const decide = (tool: string, input: Record<string, unknown>) => evaluate(shipped, { tool, input }, 'default').decision;

  it('keep secrets and the agent state out of reach', () => {
    expect(decide('read_file', { path: '.env' })).toBe('deny');
    expect(decide('read_file', { path: 'config/.env.local' })).toBe('deny');
    expect(decide('read_file', { path: 'deploy/secrets/token.txt' })).toBe('deny');
    expect(decide('read_file', { path: 'certs/tls.key' })).toBe('deny');
    expect(decide('write_file', { path: '.agent/ledger/x.jsonl', content: '' })).toBe('deny');
    expect(decide('write_file', { path: '.claude/settings.json', content: '{}' })).toBe('deny');
  });

  it('allow everyday reads without asking', () => {
    expect(decide('read_file', { path: 'src/agent.ts' })).toBe('allow');
    expect(decide('search', { pattern: 'TODO' })).toBe('allow');
  });
});
