import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../src/core/audit.js';
import type { Report } from '../src/core/report.js';
import { escapeHtml, html } from '../src/formatters/html/escape.js';
import { formatHtml } from '../src/formatters/html.js';
import { FORMAT_NAMES, type FormatOptions } from '../src/formatters/index.js';
import {
  HOSTILE_CODE,
  HOSTILE_MESSAGE,
  HOSTILE_TOOL,
  htmlSampleReport,
  sampleEvalReport,
} from './helpers/html-fixtures.js';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'test', '.tmp');
const CHROMIUM = '/usr/bin/chromium';
const SKIP_BROWSER = process.env.PLUMBLINE_SKIP_BROWSER === '1';
const plain: FormatOptions = { color: false, verbose: false };

describe('escapeHtml and the html tag', () => {
  it('escapes the five characters that matter in text and in double- or single-quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('escapes interpolated strings, keeps nested markup and drops empty values', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${[' a', ' <c>']}${undefined}${false}${3}</p>`.text).toBe(
      '<p title="&quot;x&quot;"><b>&lt;i&gt;</b> a &lt;c&gt;3</p>',
    );
  });
});

describe('formatHtml', () => {
  const page = formatHtml(htmlSampleReport(), plain);

  it('is offered as --format html', () => {
    expect(FORMAT_NAMES).toContain('html');
  });

  it('is one self-contained document: no script, stylesheet link, image, frame or remote URL', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    expect(page).not.toMatch(/<(script|link|img|iframe|object|embed)\b/i);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(page).not.toMatch(/url\(|@import/);
  });

  it('escapes hostile names, messages and code from the scanned project', () => {
    expect(page).toContain(escapeHtml(HOSTILE_TOOL));
    expect(page).toContain(escapeHtml('logs </pre><script>alert(2)</script> verbatim.'));
    expect(page).toContain(`<code>${escapeHtml('</code><script>alert(4)</script>')}</code>`);
    expect(page).toContain(escapeHtml(HOSTILE_CODE));
    expect(page).not.toContain('<svg onload');
    expect(page).not.toContain('</pre><script>');
  });

  it('numbers excerpt lines and highlights the finding line', () => {
    const finding = htmlSampleReport().findings[3]!;
    expect(page).toContain(
      `<span class="ln hit" data-line="${finding.line}"><span class="no">${finding.line}</span>`,
    );
    expect(page).toContain(`<span class="ln" data-line="${finding.line - 1}">`);
  });

  it('says when it holds no eval results, and shows suites and failing cases when given them', () => {
    expect(page).toContain('No eval results in this report.');
    const withEvals = formatHtml(htmlSampleReport(), { ...plain, evals: sampleEvalReport() });
    expect(withEvals).not.toContain('No eval results in this report.');
    expect(withEvals).toContain('data-suite="session-recovery"');
    expect(withEvals).toContain('data-case="curl-env-upload"');
    expect(withEvals).toContain('no ANTHROPIC_API_KEY; behavioural suite not run');
  });

  it('renders an empty report', () => {
    const empty: Report = {
      ...htmlSampleReport(),
      phases: [],
      primitives: [],
      findings: [],
      nextSteps: [],
      warnings: [],
      skipped: [],
      inventory: { tools: [], permissionSources: [], stores: [] },
    };
    const out = formatHtml(empty, plain);
    expect(out).toContain('No primitives were evaluated.');
    expect(out).toContain('No tool definitions were found.');
    expect(out).toMatch(/<\/html>\n$/);
  });
});

interface Rendered {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
  dialogs: string[];
}

describe.skipIf(SKIP_BROWSER)('the HTML report in headless Chromium', () => {
  let browser: Browser;
  const opened: Page[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `Chromium is not installed at ${CHROMIUM}: run scripts/install-chromium.sh (Debian: apt-get install chromium), ` +
          'or set PLUMBLINE_SKIP_BROWSER=1 to skip the browser tests on purpose.',
      );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    mkdirSync(OUT, { recursive: true });
  });

  afterAll(async () => {
    for (const page of opened) await page.close();
    await browser?.close();
  });

  /** Loads the page with every request refused and recorded, and every console error and dialog caught. */
  async function render(markup: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Rendered> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme });
    opened.push(page);
    const rendered: Rendered = { page, consoleErrors: [], pageErrors: [], requests: [], dialogs: [] };
    await page.route('**/*', (route) => {
      rendered.requests.push(route.request().url());
      return route.abort();
    });
    page.on('request', (request) => {
      if (!rendered.requests.includes(request.url())) rendered.requests.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error') rendered.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => rendered.pageErrors.push(error.message));
    page.on('dialog', (dialog) => {
      rendered.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    // setContent loads the markup without a request of its own: any request at all is the page's doing.
    await page.setContent(markup, { waitUntil: 'load' });
    return rendered;
  }

  function expectQuiet(r: Rendered): void {
    expect(r.consoleErrors, 'console errors').toEqual([]);
    expect(r.pageErrors, 'page errors').toEqual([]);
    expect(r.requests, 'network requests').toEqual([]);
    expect(r.dialogs, 'dialogs').toEqual([]);
  }

  async function screenshot(page: Page, name: string): Promise<string> {
    const path = join(OUT, name);
    await page.screenshot({ path, fullPage: true });
    console.log(`html report screenshot: ${path}`);
    return path;
  }

  it('renders the sample report with evals: quiet, 12 radar axes, 12 chips, hostile strings as text', async () => {
    const report = htmlSampleReport();
    const markup = formatHtml(report, { ...plain, evals: sampleEvalReport() });
    writeFileSync(join(OUT, 'html-report.html'), markup);
    const r = await render(markup);
    const { page } = r;
    expectQuiet(r);

    expect(await page.locator('svg.radar line.axis').count()).toBe(12);
    const chipIds = await page
      .locator('.ladder .chip')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-primitive')));
    expect(chipIds.sort()).toEqual(report.primitives.map((p) => p.id).sort());
    // Unscored primitives (verification inconclusive, shell-security n/a) are gaps, not zero-score dots.
    expect(await page.locator('svg.radar circle.dot').count()).toBe(10);
    expect(await page.locator('svg.radar circle.gap').count()).toBe(2);

    expect(await page.locator('img, script, iframe, object, embed').count()).toBe(0);
    expect(await page.locator('svg [onload], [onerror]').count()).toBe(0);
    expect(
      await page
        .locator(`tr[data-tool="${HOSTILE_TOOL.replace(/"/g, '\\"')}"] code`)
        .first()
        .textContent(),
    ).toBe(HOSTILE_TOOL);
    const first = report.findings[0]!;
    const card = page.locator('.finding').first();
    // Backticks in report prose become code spans; what is inside them is still plain text.
    expect(await card.locator('.msg').textContent()).toBe(HOSTILE_MESSAGE.replace(/`/g, ''));
    expect(await card.locator('.msg code').textContent()).toBe('</code><script>alert(4)</script>');
    expect(await card.locator('.ln.hit').textContent()).toBe(`${first.line}${HOSTILE_CODE}`);

    expect(await page.locator('[data-suite]').count()).toBe(3);
    expect(await page.locator('tr[data-case]').count()).toBe(1);
    expect(await page.locator('#next-steps .cmd').allTextContents()).toEqual(
      report.nextSteps.map((s) => s.command),
    );

    await screenshot(page, 'html-report.png');
  });

  it('renders in the dark scheme with the "no eval results" state', async () => {
    const r = await render(formatHtml(htmlSampleReport(), plain), 'dark');
    expectQuiet(r);
    expect(await r.page.locator('[data-evals="none"]').count()).toBe(1);
    const background = await r.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(15, 19, 26)');
    await screenshot(r.page, 'html-report-dark.png');
  });

  it('renders a real audit of examples/naive-ts-agent with excerpts from its source', async () => {
    const report = await audit('examples/naive-ts-agent', { cwd: ROOT });
    const r = await render(formatHtml(report, plain));
    expectQuiet(r);
    const { page } = r;
    expect(await page.locator('svg.radar line.axis').count()).toBe(12);
    expect(await page.locator('.ladder .chip').count()).toBe(12);
    expect(await page.locator('details.primitive').count()).toBe(12);
    expect(await page.locator('tr[data-tool]').count()).toBe(report.inventory.tools.length);

    const withExcerpt = report.findings.filter((f) => f.excerpt);
    expect(withExcerpt.length).toBeGreaterThan(0);
    expect(await page.locator('pre.excerpt').count()).toBe(withExcerpt.length);
    const f = withExcerpt[0]!;
    const hit = page.locator(`.finding[data-finding="${f.id}"] .ln.hit`).first();
    expect(await hit.locator('.no').textContent()).toBe(String(f.line));
    await screenshot(page, 'html-report-naive.png');
  });
});
