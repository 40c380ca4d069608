/**
 * Stacked vertical bars as inline SVG (advisories per year, stacked by severity), in the style of
 * charts.ts: no script, no inline style, a title and description, a legend; pages print the
 * numbers in a table beside it.
 */
import { escapeHtml as esc } from './html.js';

export interface Stack {
  label: string;
  /** one value per series, in the order of `series` */
  values: number[];
}

export interface StackedOptions {
  id: string;
  title: string;
  description: string;
  series: { name: string; color: string }[];
  stacks: Stack[];
  unit: string;
}

const TEXT = '#1b1b1b';
const AXIS = '#767676';

function ticks(max: number): number[] {
  const rough = Math.max(max, 1) / 4;
  const pow = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= rough) ?? rough;
  const out: number[] = [];
  for (let v = 0; v <= max + step / 2; v += step) out.push(Math.round(v));
  return out.length > 1 ? out : [0, Math.max(1, Math.ceil(max))];
}

export function stackedColumnChart(o: StackedOptions): string {
  const width = 720;
  const height = 330;
  const left = 44;
  const top = 36;
  const bottom = 56;
  const plotH = height - top - bottom;
  const max = Math.max(1, ...o.stacks.map((s) => s.values.reduce((a, b) => a + b, 0)));
  const t = ticks(max);
  const scale = plotH / t.at(-1)!;
  const slot = (width - left - 8) / Math.max(o.stacks.length, 1);
  const barW = Math.max(2, Math.min(48, slot * 0.7));
  let inner = '';
  // legend on top
  o.series.forEach((s, i) => {
    const x = left + i * 120;
    inner += `<rect x="${x}" y="8" width="12" height="12" fill="${s.color}"/><text x="${x + 16}" y="18" fill="${TEXT}">${esc(s.name)}</text>\n`;
  });
  for (const v of t) {
    const y = top + plotH - v * scale;
    inner += `<line x1="${left}" x2="${width - 8}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#e0e0e0"/><text x="${left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" fill="${TEXT}">${v}</text>\n`;
  }
  o.stacks.forEach((st, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    let y = top + plotH;
    st.values.forEach((v, k) => {
      if (!v) return;
      const h = v * scale;
      y -= h;
      inner += `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${o.series[k]!.color}"><title>${esc(`${st.label}, ${o.series[k]!.name}: ${v} ${o.unit}`)}</title></rect>`;
    });
    const cx = x + barW / 2;
    const ly = top + plotH + 14;
    inner +=
      o.stacks.length > 12
        ? `<text x="${cx.toFixed(1)}" y="${ly}" text-anchor="end" transform="rotate(-55 ${cx.toFixed(1)} ${ly})" fill="${TEXT}">${esc(st.label)}</text>\n`
        : `<text x="${cx.toFixed(1)}" y="${ly}" text-anchor="middle" fill="${TEXT}">${esc(st.label)}</text>\n`;
  });
  inner += `<line x1="${left}" x2="${width - 8}" y1="${top + plotH}" y2="${top + plotH}" stroke="${AXIS}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${o.id}-title ${o.id}-desc" font-family="system-ui, sans-serif" font-size="12">
<title id="${o.id}-title">${esc(o.title)}</title>
<desc id="${o.id}-desc">${esc(o.description)}</desc>
${inner}</svg>`;
}
