/**
 * Bar charts drawn as inline SVG, by hand: a few rectangles and labels need no charting library,
 * and hand-made SVG carries no script and needs no inline style (the CSP forbids both). Every
 * chart has a title and description for assistive technology; pages print the numbers in a table
 * beside it as well.
 */
import { escapeHtml as esc } from './html.js';

export interface Bar {
  label: string;
  value: number;
  /** fill colour, default the link blue */
  color?: string;
}

export interface ChartOptions {
  id: string;
  title: string;
  description: string;
  bars: Bar[];
  /** unit of the values, for the bar tooltips ("advisories") */
  unit: string;
}

const BLUE = '#0b57a4';
/** the page's text colour, light or dark scheme (inline SVG inherits CSS `color`) */
const TEXT = 'currentColor';
const AXIS = '#767676';

/** Round tick values from 0 up to the first at or above `max`: the axis covers the largest bar. */
export function ticks(max: number): number[] {
  if (max <= 0) return [0];
  const rough = max / 4;
  const pow = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= rough) ?? rough);
  const out: number[] = [0];
  while (out.at(-1)! < max) out.push(Math.round(out.length * step));
  return out;
}

function frame(o: ChartOptions, width: number, height: number, inner: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${o.id}-title ${o.id}-desc" font-family="system-ui, sans-serif" font-size="12">
<title id="${o.id}-title">${esc(o.title)}</title>
<desc id="${o.id}-desc">${esc(o.description)}</desc>
${inner}</svg>`;
}

/** Vertical bars, labels under them (years, buckets). */
export function columnChart(o: ChartOptions): string {
  const width = 720;
  const height = 300;
  const left = 44;
  const bottom = 56;
  const top = 16;
  const plotH = height - bottom - top;
  const max = Math.max(1, ...o.bars.map((b) => b.value));
  const t = ticks(max);
  const scale = plotH / Math.max(t.at(-1)!, 1);
  const slot = (width - left - 8) / Math.max(o.bars.length, 1);
  const barW = Math.max(2, Math.min(48, slot * 0.7));
  const rotate = o.bars.length > 12;
  let inner = '';
  for (const v of t) {
    const y = top + plotH - v * scale;
    inner += `<line x1="${left}" x2="${width - 8}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="currentColor" stroke-opacity="0.2"/>`;
    inner += `<text x="${left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" fill="${TEXT}">${v}</text>\n`;
  }
  o.bars.forEach((b, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    const h = b.value * scale;
    const y = top + plotH - h;
    const cx = x + barW / 2;
    inner += `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${b.color ?? BLUE}"><title>${esc(`${b.label}: ${b.value} ${o.unit}`)}</title></rect>`;
    const ly = top + plotH + 14;
    inner += rotate
      ? `<text x="${cx.toFixed(1)}" y="${ly}" text-anchor="end" transform="rotate(-55 ${cx.toFixed(1)} ${ly})" fill="${TEXT}">${esc(b.label)}</text>\n`
      : `<text x="${cx.toFixed(1)}" y="${ly}" text-anchor="middle" fill="${TEXT}">${esc(b.label)}</text>\n`;
  });
  inner += `<line x1="${left}" x2="${width - 8}" y1="${top + plotH}" y2="${top + plotH}" stroke="${AXIS}"/>`;
  return frame(o, width, height, inner);
}

/** Horizontal bars, labels at the left (distributions, severities). */
export function barChart(o: ChartOptions): string {
  const width = 720;
  const left = 210;
  const right = 56;
  const rowH = 24;
  const top = 8;
  const height = top * 2 + rowH * o.bars.length;
  const max = Math.max(1, ...o.bars.map((b) => b.value));
  const scale = (width - left - right) / max;
  let inner = '';
  o.bars.forEach((b, i) => {
    const y = top + i * rowH;
    const w = b.value * scale;
    const label = b.label.length > 32 ? `${b.label.slice(0, 31)}…` : b.label;
    inner += `<text x="${left - 8}" y="${y + 16}" text-anchor="end" fill="${TEXT}">${esc(label)}</text>`;
    inner += `<rect x="${left}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${b.color ?? BLUE}"><title>${esc(`${b.label}: ${b.value} ${o.unit}`)}</title></rect>`;
    inner += `<text x="${(left + w + 6).toFixed(1)}" y="${y + 16}" fill="${TEXT}">${b.value}</text>\n`;
  });
  inner += `<line x1="${left}" x2="${left}" y1="${top}" y2="${height - top}" stroke="${AXIS}"/>`;
  return frame(o, width, height, inner);
}
