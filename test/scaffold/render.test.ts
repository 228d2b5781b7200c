import { describe, expect, it } from 'vitest';
import { presence } from '../../src/scaffold/plan.js';
import { Renderer, TemplateError } from '../../src/scaffold/render.js';

const renderer = new Renderer({
  projectName: 'demo',
  srcDir: 'src',
  testDir: 'test',
  harnessDir: 'src/harness',
  phase: 'week-one',
  has: presence(['tool-registry', 'streaming-events']),
});

function failure(text: string, where = 'templates/typescript/x/engine.ts.hbs'): TemplateError {
  try {
    renderer.render(text, where);
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    return e as TemplateError;
  }
  throw new Error('expected a template error');
}

describe('Renderer', () => {
  it('renders variables, has keys with dashes and the registered helpers, without HTML escaping', () => {
    const out = renderer.render(
      [
        "import x from '../{{srcDir}}/a.js'; // <{{projectName}}> & co",
        '{{#if has.streaming-events}}events{{/if}}{{#unless (lookup has "permissions")}} no-perms{{/unless}}',
        '{{#if (eq phase "week-one")}}wk{{/if}} {{json projectName}} {{#if (includes has "tool-registry")}}tools{{/if}}',
        'const literal = `$\\{{ not.a.variable }}`;',
      ].join('\n'),
      'x.hbs',
    );
    expect(out).toBe(
      [
        "import x from '../src/a.js'; // <demo> & co",
        'events no-perms',
        'wk "demo" tools',
        ['const literal = `$', '{{ not.a.variable }}`;'].join(''),
      ].join('\n'),
    );
  });

  it('a missing variable is an error naming the template file, the variable and its position', () => {
    const e = failure('line one\n  const name = "{{projectNme}}";\n');
    expect(e.message).toBe('templates/typescript/x/engine.ts.hbs:2:19: unknown variable "projectNme"');
    expect(e.hint).toContain('projectName');
  });

  it('checks variables where Handlebars strict mode does not: conditions and lookups', () => {
    expect(failure('{{#if hasEvents}}x{{/if}}').message).toMatch(/:1:7: unknown variable "hasEvents"/);
    expect(failure('{{#if has.streaming-event}}x{{/if}}').message).toContain(
      '"has" has no key "streaming-event"',
    );
    expect(failure('{{#if (lookup has "stream")}}x{{/if}}').message).toContain('"has" has no key "stream"');
    expect(failure('{{#if (shout phase)}}x{{/if}}').message).toContain('unknown helper "shout"');
  });

  it('a missing field of a nested value fails at render time with its position', () => {
    expect(failure('ok\n{{has.nothing.deeper}}').message).toMatch(/"has" has no key "nothing"/);
    const e = failure('{{#each (json has)}}{{.}}{{/each}}\n{{#with has}}{{missing}}{{/with}}');
    expect(e.message).toMatch(/engine\.ts\.hbs:2:\d+: missing variable "missing"/);
  });

  it('a syntax error names the file and line', () => {
    expect(failure('a\nb {{#if phase}\n').message).toMatch(/engine\.ts\.hbs:2:1: Handlebars syntax error/);
  });
});
