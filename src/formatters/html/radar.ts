import type { PrimitiveResult } from '../../core/report.js';
import { PHASES } from '../../rubrics/schema.js';
import { formatScore } from '../summary.js';
import { type Html, html, slug } from './escape.js';

/**
 * The primitives' scores as an inline SVG radar: one axis per primitive in report order (so phases sit
 * together), rings at 2, 4, 6, 8 and 10, and the filled area drawn only between neighbouring axes that have
 * a score — an unscored primitive (not applicable, inconclusive) leaves a visible gap rather than a zero.
 */

const RADIUS = 140;
const LABEL_RADIUS = RADIUS + 18;
const RINGS = [2, 4, 6, 8, 10];
const MAX = 10;

interface Point {
  x: number;
  y: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Axis `i` of `n`, clockwise from twelve o'clock, at `score` on the 0–10 scale. */
function at(i: number, n: number, score: number, radius = RADIUS): Point {
  const angle = (2 * Math.PI * i) / n - Math.PI / 2;
  const r = (radius * score) / MAX;
  return { x: round(Math.cos(angle) * r), y: round(Math.sin(angle) * r) };
}

const pointList = (points: Point[]) => points.map((p) => `${p.x},${p.y}`).join(' ');

export function radarChart(primitives: readonly PrimitiveResult[]): Html {
  const n = primitives.length;
  if (n < 3) return html`<p class="muted">Too few primitives for a radar chart.</p>`;
  const rings = RINGS.map((value) => {
    const points = primitives.map((_, i) => at(i, n, value));
    return html`<polygon class="ring${value === MAX ? ' outer' : ''}" points="${pointList(points)}"/>`;
  });
  const ringLabels = RINGS.map((value) => {
    // Halfway between the first two axes, where no dot or label sits.
    const p = at(0.5, n, value);
    return html`<text class="ring-label" x="${p.x}" y="${p.y}">${value}</text>`;
  });
  const axes = primitives.map((p, i) => {
    const end = at(i, n, MAX);
    return html`<line class="axis" data-primitive="${p.id}" x1="0" y1="0" x2="${end.x}" y2="${end.y}"/>`;
  });
  return html`<svg class="radar" viewBox="-290 -200 580 400" role="img" aria-labelledby="radar-title">
<title id="radar-title">Scores of the ${n} primitives, 0 to 10</title>
<g class="phase-arcs">${phaseArcs(primitives)}</g>
<g class="rings">${rings}${ringLabels}</g>
<g class="axes">${axes}</g>
<g class="area">${wedges(primitives)}</g>
<g class="outline">${outline(primitives)}</g>
<g class="dots">${dots(primitives)}</g>
<g class="labels">${primitives.map((p, i) => axisLabel(p, i, n))}</g>
</svg>`;
}

/** One triangle per pair of neighbouring scored axes; their union is the score polygon, minus the gaps. */
function wedges(primitives: readonly PrimitiveResult[]): Html[] {
  const n = primitives.length;
  const out: Html[] = [];
  for (let i = 0; i < n; i++) {
    const a = primitives[i]!.score;
    const b = primitives[(i + 1) % n]!.score;
    if (a === null || b === null) continue;
    out.push(html`<polygon points="0,0 ${pointList([at(i, n, a), at(i + 1, n, b)])}"/>`);
  }
  return out;
}

function outline(primitives: readonly PrimitiveResult[]): Html[] {
  const n = primitives.length;
  const out: Html[] = [];
  for (let i = 0; i < n; i++) {
    const a = primitives[i]!.score;
    const b = primitives[(i + 1) % n]!.score;
    if (a === null || b === null) continue;
    const p = at(i, n, a);
    const q = at(i + 1, n, b);
    out.push(html`<line x1="${p.x}" y1="${p.y}" x2="${q.x}" y2="${q.y}"/>`);
  }
  return out;
}

/** A dot per scored primitive; an unscored one gets a hollow marker at the rim, so the gap reads as "no score". */
function dots(primitives: readonly PrimitiveResult[]): Html[] {
  const n = primitives.length;
  return primitives.map((p, i) => {
    const tip = html`<title>${p.title}: ${p.score === null ? p.status : `${formatScore(p.score)}/10`}</title>`;
    if (p.score === null) {
      const rim = at(i, n, MAX);
      return html`<circle class="gap s-${p.status}" data-primitive="${p.id}" cx="${rim.x}" cy="${rim.y}" r="4.5">${tip}</circle>`;
    }
    const q = at(i, n, p.score);
    return html`<circle class="dot s-${p.status}" data-primitive="${p.id}" cx="${q.x}" cy="${q.y}" r="4.5">${tip}</circle>`;
  });
}

function axisLabel(p: PrimitiveResult, i: number, n: number): Html {
  const pos = at(i, n, MAX, LABEL_RADIUS);
  const anchor = Math.abs(pos.x) < 1 ? 'middle' : pos.x > 0 ? 'start' : 'end';
  // Two lines (title, score): above the centre the block sits over its point, below it hangs under it.
  const top = pos.y < -RADIUS / 2 ? pos.y - 20 : pos.y > RADIUS / 2 ? pos.y + 6 : pos.y - 7;
  const score =
    p.score === null ? (p.status === 'not-applicable' ? 'n/a' : 'no score') : formatScore(p.score);
  return html`<a href="#p-${slug(p.id)}"><text class="axis-label" text-anchor="${anchor}" x="${pos.x}" y="${round(top)}">${p.title}<tspan class="axis-score s-${p.status}" x="${pos.x}" dy="1.2em">${score}</tspan></text></a>`;
}

/** A thin arc just outside the rim over each phase's axes, in that phase's colour. */
function phaseArcs(primitives: readonly PrimitiveResult[]): Html[] {
  const n = primitives.length;
  const r = RADIUS + 7;
  const out: Html[] = [];
  for (const phase of PHASES) {
    const indices = primitives.flatMap((p, i) => (p.phase === phase ? [i] : []));
    if (indices.length === 0) continue;
    // Half a step beyond the first and last axis, less a little, so neighbouring phases do not touch.
    const from = indices[0]! - 0.45;
    const to = indices[indices.length - 1]! + 0.45;
    const start = at(from, n, MAX, r);
    const end = at(to, n, MAX, r);
    const large = ((to - from) / n) * 360 > 180 ? 1 : 0;
    out.push(
      html`<path class="arc ph-${phase}" d="M${start.x},${start.y} A${r},${r} 0 ${large} 1 ${end.x},${end.y}"><title>${phase}</title></path>`,
    );
  }
  return out;
}
