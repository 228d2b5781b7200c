/**
 * The report's only stylesheet, inlined: system fonts, no images, light and dark schemes from the reader's
 * preference. Constants only — nothing from a report is ever placed in here.
 */
export const STYLES = `
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --card: #ffffff; --ink: #1c2230; --muted: #5f6b7d; --line: #e2e6ec; --soft: #f0f2f5;
  --accent: #3557d6; --code-bg: #f5f7fa; --hit: #fff4cc; --hit-edge: #e0b100;
  --pass: #1f8f4e; --pass-bg: #e3f5ea; --partial: #b7791f; --partial-bg: #fdf1dc;
  --fail: #c53030; --fail-bg: #fde6e6; --na: #718096; --na-bg: #edf0f4; --inconclusive: #6b46c1;
  --inconclusive-bg: #eee8fb;
  --critical: #9b1c1c; --high: #c53030; --medium: #b7791f; --low: #2b6cb0; --info: #718096;
  --ph-day-one: #2f80ed; --ph-week-one: #9b51e0; --ph-month-one: #f2994a;
  --shadow: 0 1px 2px rgba(20, 30, 50, .06), 0 4px 16px rgba(20, 30, 50, .05);
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f131a; --card: #171c25; --ink: #e6e9ef; --muted: #9aa4b5; --line: #2a3140; --soft: #1e2430;
    --accent: #8ea6ff; --code-bg: #11161e; --hit: #3a3213; --hit-edge: #d4a72c;
    --pass: #4cc47f; --pass-bg: #15301f; --partial: #e6b04f; --partial-bg: #33280f;
    --fail: #f07171; --fail-bg: #3a1a1c; --na: #8e99ab; --na-bg: #232a36; --inconclusive: #b69cf5;
    --inconclusive-bg: #2a2240;
    --critical: #ff8a8a; --high: #f07171; --medium: #e6b04f; --low: #74a9f0; --info: #8e99ab;
    --ph-day-one: #5b9cf2; --ph-week-one: #b584ec; --ph-month-one: #f4ad6e;
    --shadow: none;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
code { font-size: .88em; background: var(--soft); padding: .08em .35em; border-radius: 4px; overflow-wrap: break-word; }
code.loc { white-space: nowrap; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
h1, h2, h3, h4 { line-height: 1.25; margin: 0; }
h2 { font-size: 1.25rem; margin-bottom: .9rem; }
.wrap { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
.muted { color: var(--muted); }
.nowrap { white-space: nowrap; }
.small { font-size: .85rem; }

/* Header */
.top { background: var(--card); border-bottom: 1px solid var(--line); padding: 28px 0 22px; }
.top .wrap { display: grid; grid-template-columns: 1fr auto; gap: 24px; align-items: center; }
.brand { font-size: .8rem; letter-spacing: .08em; text-transform: uppercase; color: var(--muted); font-weight: 600; }
.brand b { color: var(--accent); }
.top h1 { font-size: 1.7rem; margin: .25rem 0 .5rem; overflow-wrap: anywhere; }
.facts { display: flex; flex-wrap: wrap; gap: 6px 18px; color: var(--muted); font-size: .9rem; }
.facts b { color: var(--ink); font-weight: 600; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 14px; }
.headline { display: flex; gap: 14px; align-items: stretch; }
.stat { background: var(--soft); border-radius: 12px; padding: 12px 18px; min-width: 132px; text-align: center; }
.stat .label { font-size: .72rem; text-transform: uppercase; letter-spacing: .07em; color: var(--muted); font-weight: 600; }
.stat .value { font-size: 1.6rem; font-weight: 700; margin-top: 2px; }
.stat .value small { font-size: .9rem; color: var(--muted); font-weight: 500; }
.stat .sub { font-size: .8rem; color: var(--muted); }
.maturity-none { color: var(--fail); }
.gate { margin-top: 16px; grid-column: 1 / -1; border-radius: 10px; padding: 10px 14px; font-weight: 500; }
.gate.failed { background: var(--fail-bg); color: var(--fail); }
.gate.passed { background: var(--pass-bg); color: var(--pass); }
.gate ul { margin: .3rem 0 0; padding-left: 1.2rem; font-weight: 400; }
nav.toc { position: sticky; top: 0; z-index: 2; background: color-mix(in srgb, var(--bg) 88%, transparent);
  backdrop-filter: blur(6px); border-bottom: 1px solid var(--line); }
nav.toc .wrap { display: flex; gap: 20px; overflow-x: auto; padding-top: 10px; padding-bottom: 10px; font-size: .9rem; }
nav.toc a { color: var(--muted); white-space: nowrap; font-weight: 500; }
nav.toc a:hover { color: var(--accent); text-decoration: none; }

main.wrap { padding-top: 24px; padding-bottom: 48px; }
section { margin-bottom: 34px; scroll-margin-top: 56px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 14px; padding: 20px 22px; box-shadow: var(--shadow); }
.overview { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.15fr); gap: 20px; }
@media (max-width: 900px) { .overview, .top .wrap { grid-template-columns: 1fr; } }

/* Pills, chips and badges */
.pill { display: inline-flex; align-items: center; gap: 6px; border-radius: 999px; padding: 2px 10px;
  font-size: .8rem; font-weight: 600; background: var(--soft); color: var(--muted); white-space: nowrap; }
.pill::before { content: ""; width: 7px; height: 7px; border-radius: 50%; background: currentColor; }
.pill.plain::before { display: none; }
.st-pass { color: var(--pass); background: var(--pass-bg); }
.st-partial { color: var(--partial); background: var(--partial-bg); }
.st-fail { color: var(--fail); background: var(--fail-bg); }
.st-not-applicable { color: var(--na); background: var(--na-bg); }
.st-inconclusive { color: var(--inconclusive); background: var(--inconclusive-bg); }
.sev { display: inline-block; border-radius: 5px; padding: 0 7px; font-size: .72rem; font-weight: 700;
  text-transform: uppercase; letter-spacing: .04em; border: 1px solid currentColor; line-height: 1.6; white-space: nowrap; }
.sev-critical { color: var(--critical); } .sev-high { color: var(--high); } .sev-medium { color: var(--medium); }
.sev-low { color: var(--low); } .sev-info { color: var(--info); }
.cap { display: inline-block; border-radius: 6px; padding: 1px 8px; margin: 1px 4px 1px 0; font-size: .78rem;
  font-weight: 600; background: var(--soft); border: 1px solid var(--line); }
.cap-read { color: var(--pass); } .cap-write { color: var(--partial); } .cap-exec { color: var(--fail); }
.cap-network { color: var(--low); } .cap-destructive { color: var(--card); background: var(--fail); border-color: var(--fail); } .cap-none { color: var(--muted); font-weight: 500; font-style: italic; }

/* Phase ladder */
.ladder { display: flex; flex-direction: column; gap: 10px; }
.rung { border: 1px solid var(--line); border-left: 5px solid var(--ph); border-radius: 10px; padding: 12px 14px; }
.rung.ph-day-one { --ph: var(--ph-day-one); } .rung.ph-week-one { --ph: var(--ph-week-one); } .rung.ph-month-one { --ph: var(--ph-month-one); }
.rung-head { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.rung-head h3 { font-size: 1rem; }
.rung-head .score { margin-left: auto; font-weight: 700; font-variant-numeric: tabular-nums; }
.rung-head .score small { color: var(--muted); font-weight: 500; }
.bar { height: 6px; background: var(--soft); border-radius: 3px; overflow: hidden; margin: 8px 0 10px; }
.bar > span { display: block; height: 100%; background: var(--ph, var(--accent)); border-radius: 3px; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; }
.chip { display: inline-flex; align-items: center; gap: 6px; border-radius: 8px; padding: 4px 10px; font-size: .84rem;
  font-weight: 600; border: 1px solid transparent; }
.chip:hover { text-decoration: none; border-color: currentColor; }
.chip .mark { font-size: .8rem; }
.chip .num { font-weight: 500; opacity: .85; font-variant-numeric: tabular-nums; }
.tag { font-size: .72rem; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; border-radius: 5px; padding: 1px 7px; }
.tag.here { background: var(--accent); color: var(--card); }
.tag.target { border: 1px dashed var(--muted); color: var(--muted); }
.arrow { text-align: center; color: var(--muted); font-size: .8rem; line-height: 1; }

/* Radar */
.radar-card { display: flex; flex-direction: column; }
.radar-card .radar-box { flex: 1; display: flex; flex-direction: column; justify-content: center; }
svg.radar { width: 100%; height: auto; max-height: 440px; display: block; font-size: 12px; }
svg.radar .ring { fill: none; stroke: var(--line); stroke-width: 1; }
svg.radar .ring.outer { stroke: var(--muted); stroke-opacity: .45; }
svg.radar .ring-label { fill: var(--muted); font-size: 9px; text-anchor: middle; dominant-baseline: middle; }
svg.radar .axis { stroke: var(--line); stroke-width: 1; }
svg.radar .area polygon { fill: var(--accent); fill-opacity: .2; stroke: var(--accent); stroke-opacity: .2; stroke-width: .6; }
svg.radar .outline line { stroke: var(--accent); stroke-width: 2; stroke-linecap: round; }
svg.radar .dot { stroke: var(--card); stroke-width: 1.5; }
svg.radar .gap { fill: var(--card); stroke-width: 2; stroke-dasharray: 2 2; }
svg.radar .dot.s-pass { fill: var(--pass); } svg.radar .dot.s-partial { fill: var(--partial); }
svg.radar .dot.s-fail { fill: var(--fail); } svg.radar .gap.s-not-applicable { stroke: var(--na); }
svg.radar .gap.s-inconclusive { stroke: var(--inconclusive); } svg.radar .gap.s-fail { stroke: var(--fail); }
svg.radar .axis-label { fill: var(--ink); font-weight: 600; dominant-baseline: middle; }
svg.radar .axis-score { font-weight: 700; }
svg.radar .axis-score.s-pass { fill: var(--pass); } svg.radar .axis-score.s-partial { fill: var(--partial); }
svg.radar .axis-score.s-fail { fill: var(--fail); } svg.radar .axis-score.s-not-applicable { fill: var(--na); }
svg.radar .axis-score.s-inconclusive { fill: var(--inconclusive); }
svg.radar .arc { fill: none; stroke-width: 4; stroke-linecap: round; }
svg.radar .arc.ph-day-one { stroke: var(--ph-day-one); } svg.radar .arc.ph-week-one { stroke: var(--ph-week-one); }
svg.radar .arc.ph-month-one { stroke: var(--ph-month-one); }
.legend { display: flex; flex-wrap: wrap; gap: 14px; justify-content: center; font-size: .8rem; color: var(--muted); margin-top: 6px; }
.legend i { display: inline-block; width: 14px; height: 4px; border-radius: 2px; vertical-align: middle; margin-right: 5px; }
.legend .ph-day-one { background: var(--ph-day-one); } .legend .ph-week-one { background: var(--ph-week-one); }
.legend .ph-month-one { background: var(--ph-month-one); }
.legend .gap-key { width: 9px; height: 9px; border-radius: 50%; border: 2px dashed var(--na); background: none; }

/* Next steps, warnings */
ol.steps { list-style: none; margin: 0; padding: 0; counter-reset: step; display: grid; gap: 10px; }
ol.steps li { counter-increment: step; display: grid; grid-template-columns: 30px 1fr; gap: 4px 12px; align-items: start; }
ol.steps li::before { content: counter(step); width: 28px; height: 28px; border-radius: 50%; background: var(--soft);
  color: var(--accent); font-weight: 700; display: grid; place-items: center; font-size: .85rem; }
.step-head { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.cmd { display: inline-block; margin-top: 5px; background: var(--code-bg); border: 1px solid var(--line); border-radius: 7px;
  padding: 3px 10px; font-size: .85rem; }
.cmd::before { content: "$ "; color: var(--muted); user-select: none; }
.callout { border-left: 4px solid var(--partial); background: var(--partial-bg); border-radius: 8px; padding: 10px 14px; margin-bottom: 8px; }
.callout .kind { font-size: .72rem; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; color: var(--partial); margin-right: 6px; }

/* Primitives */
details.primitive { background: var(--card); border: 1px solid var(--line); border-radius: 12px; margin-bottom: 10px;
  box-shadow: var(--shadow); scroll-margin-top: 56px; }
details.primitive > summary { list-style: none; cursor: pointer; padding: 14px 18px; display: grid;
  grid-template-columns: 92px minmax(0, 1fr) 150px auto; gap: 14px; align-items: center; }
details.primitive > summary::-webkit-details-marker { display: none; }
details.primitive > summary::after { content: "▸"; color: var(--muted); transition: transform .15s; }
details.primitive[open] > summary::after { transform: rotate(90deg); }
details.primitive > summary .name { font-weight: 650; font-size: 1.02rem; }
details.primitive > summary .name .id { font-weight: 500; color: var(--muted); font-size: .85rem; margin-left: 6px; }
details.primitive > summary .pill { justify-self: start; }
details.primitive > summary .why { display: block; color: var(--muted); font-size: .88rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
details.primitive[open] > summary .why { white-space: normal; color: var(--ink); }
.scorebar { display: flex; align-items: center; gap: 8px; font-variant-numeric: tabular-nums; font-weight: 700; }
.scorebar .bar { flex: 1; margin: 0; }
.scorebar .bar > span { background: currentColor; }
.prim-body { padding: 6px 18px 18px; border-top: 1px solid var(--line); }
.prim-body > p { margin: 12px 0; }
ul.criteria { list-style: none; margin: 0; padding: 0; }
ul.criteria > li { padding: 12px 0; border-bottom: 1px dashed var(--line); }
ul.criteria > li:last-child { border-bottom: 0; }
.crit-head { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.crit-head .title { font-weight: 600; }
.crit-head .cid { color: var(--muted); font-size: .8rem; }
.mark { display: inline-grid; place-items: center; width: 20px; height: 20px; border-radius: 50%; font-size: .75rem;
  font-weight: 800; flex: none; }
.reason { color: var(--muted); margin: 3px 0 0 28px; font-size: .92rem; }
.evidence { margin: 4px 0 0 28px; font-size: .82rem; color: var(--muted); }
.evidence code { font-size: .78rem; }
.waived { margin: 4px 0 0 28px; font-size: .85rem; color: var(--inconclusive); }
details.more { margin-top: 8px; }
details.more > summary { cursor: pointer; color: var(--muted); font-size: .88rem; padding: 6px 0; }
.finding { margin: 10px 0 0 28px; border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
.finding-head { display: flex; gap: 10px; align-items: baseline; padding: 9px 12px; background: var(--soft); flex-wrap: wrap; }
.finding-head .msg { font-weight: 550; flex: 1 1 320px; overflow-wrap: anywhere; }
.finding-head .loc { font-size: .8rem; color: var(--muted); }
.finding .fix { padding: 8px 12px; font-size: .9rem; border-top: 1px solid var(--line); }
.finding .fix .cmd { display: block; width: fit-content; margin: 6px 0 0; }
pre.excerpt { margin: 0; padding: 8px 0; background: var(--code-bg); font-size: .8rem; line-height: 1.55; overflow-x: auto; border-top: 1px solid var(--line); }
pre.excerpt code { background: none; padding: 0; border-radius: 0; font-size: inherit; overflow-wrap: normal; }
pre.excerpt .ln { display: block; padding: 0 14px 0 0; white-space: pre; border-left: 3px solid transparent; }
pre.excerpt .ln.hit { background: var(--hit); border-left-color: var(--hit-edge); }
pre.excerpt .no { display: inline-block; min-width: 3.2em; padding-right: 12px; text-align: right; color: var(--muted);
  user-select: none; opacity: .8; }
pre.excerpt .hit .no { color: var(--ink); opacity: 1; font-weight: 700; }

/* Tables */
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: .9rem; }
th { text-align: left; font-size: .74rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); font-weight: 700;
  padding: 8px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
td { padding: 9px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
tr:last-child td { border-bottom: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td .desc { color: var(--muted); font-size: .85rem; margin-top: 2px; }
.params { font-size: .82rem; color: var(--muted); }
.params .req { color: var(--ink); }
h3.sub { font-size: 1rem; margin: 22px 0 8px; }
.empty { text-align: center; padding: 26px; color: var(--muted); }
.empty strong { display: block; color: var(--ink); margin-bottom: 4px; font-size: 1rem; }

/* Evals */
.suites { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 12px; }
.suite { border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.suite h3 { font-size: .98rem; display: flex; gap: 8px; align-items: center; }
.metrics { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 12px; margin-top: 10px; font-size: .85rem; }
.metrics b { font-size: 1.05rem; font-variant-numeric: tabular-nums; display: block; }
.metrics .bad { color: var(--fail); }

footer { color: var(--muted); font-size: .8rem; text-align: center; padding: 12px 0 36px; }
@media print {
  nav.toc { display: none; }
  body { background: #fff; }
  .card, details.primitive { box-shadow: none; break-inside: avoid; }
}
`;
