/** Hand-written SVG charts (no charting dependency): grouped bars and small line panels. */

const PALETTE = ['#1f77b4', '#d62728', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b'];
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A round upper bound for an axis (1, 2, 5 × 10^n). */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

export interface BarSeries {
  name: string;
  values: number[];
}

/** Groups along x (one per category), one bar per series in each group, value printed on each bar. */
export function groupedBarChart(options: { title: string; categories: string[]; series: BarSeries[]; yLabel: string; width?: number; height?: number }): string {
  const width = options.width ?? 860;
  const height = options.height ?? 380;
  const margin = { top: 56, right: 20, bottom: 70, left: 60 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const max = niceMax(Math.max(1, ...options.series.flatMap((s) => s.values)));
  const groupW = plotW / options.categories.length;
  const barW = Math.min(36, (groupW * 0.8) / options.series.length);
  const y = (v: number): number => margin.top + plotH - (v / max) * plotH;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600">${escape(options.title)}</text>`);
  for (let i = 0; i <= 5; i++) {
    const value = (max / 5) * i;
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${y(value) + 4}" text-anchor="end" fill="#555">${Number(value.toFixed(2))}</text>`);
  }
  parts.push(`<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#333">${escape(options.yLabel)}</text>`);
  options.categories.forEach((category, ci) => {
    const groupX = margin.left + ci * groupW + (groupW - barW * options.series.length) / 2;
    options.series.forEach((series, si) => {
      const value = series.values[ci] ?? 0;
      const x = groupX + si * barW;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y(value).toFixed(1)}" width="${(barW - 3).toFixed(1)}" height="${(margin.top + plotH - y(value)).toFixed(1)}" fill="${PALETTE[si % PALETTE.length]}"><title>${escape(`${category} — ${series.name}: ${value}`)}</title></rect>`);
      parts.push(`<text x="${(x + (barW - 3) / 2).toFixed(1)}" y="${(y(value) - 4).toFixed(1)}" text-anchor="middle" font-size="11">${value}</text>`);
    });
    parts.push(`<text x="${margin.left + ci * groupW + groupW / 2}" y="${margin.top + plotH + 18}" text-anchor="middle" font-size="11">${escape(category)}</text>`);
  });
  parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${margin.top + plotH}" y2="${margin.top + plotH}" stroke="#333"/>`);
  let legendX = margin.left;
  options.series.forEach((series, si) => {
    parts.push(`<rect x="${legendX}" y="${height - 26}" width="12" height="12" fill="${PALETTE[si % PALETTE.length]}"/>`);
    parts.push(`<text x="${legendX + 16}" y="${height - 16}">${escape(series.name)}</text>`);
    legendX += 24 + series.name.length * 7;
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

export interface LineSeries {
  name: string;
  values: Array<number | null>;
  dashed?: boolean;
}

export interface LinePanel {
  title: string;
  yLabel: string;
  series: LineSeries[];
}

/** Side-by-side line panels sharing categorical x values (e.g. fleet sizes), points labelled with their value. */
export function linePanels(options: { title: string; xLabels: string[]; xTitle: string; panels: LinePanel[]; panelWidth?: number; height?: number }): string {
  const panelW = options.panelWidth ?? 430;
  const height = options.height ?? 360;
  const width = panelW * options.panels.length;
  const margin = { top: 60, right: 24, bottom: 76, left: 62 };
  const plotW = panelW - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="600">${escape(options.title)}</text>`);
  options.panels.forEach((panel, pi) => {
    const ox = pi * panelW;
    const max = niceMax(Math.max(1, ...panel.series.flatMap((s) => s.values.filter((v): v is number => v !== null))));
    const x = (i: number): number => ox + margin.left + (options.xLabels.length === 1 ? plotW / 2 : (plotW * i) / (options.xLabels.length - 1));
    const y = (v: number): number => margin.top + plotH - (v / max) * plotH;
    parts.push(`<text x="${ox + panelW / 2}" y="44" text-anchor="middle" font-size="13" font-weight="600">${escape(panel.title)}</text>`);
    for (let i = 0; i <= 4; i++) {
      const value = (max / 4) * i;
      parts.push(`<line x1="${ox + margin.left}" x2="${ox + panelW - margin.right}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e5e5"/>`);
      parts.push(`<text x="${ox + margin.left - 6}" y="${y(value) + 4}" text-anchor="end" fill="#555">${Number(value.toFixed(2))}</text>`);
    }
    parts.push(`<text transform="translate(${ox + 14} ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#333">${escape(panel.yLabel)}</text>`);
    options.xLabels.forEach((label, i) => parts.push(`<text x="${x(i)}" y="${margin.top + plotH + 18}" text-anchor="middle">${escape(label)}</text>`));
    parts.push(`<text x="${ox + margin.left + plotW / 2}" y="${margin.top + plotH + 36}" text-anchor="middle" fill="#333">${escape(options.xTitle)}</text>`);
    parts.push(`<line x1="${ox + margin.left}" x2="${ox + panelW - margin.right}" y1="${margin.top + plotH}" y2="${margin.top + plotH}" stroke="#333"/>`);
    panel.series.forEach((series, si) => {
      const color = PALETTE[si % PALETTE.length]!;
      const points = series.values.map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`)).filter((p): p is string => p !== null);
      parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
      series.values.forEach((v, i) => {
        if (v === null) return;
        parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5" fill="${color}"><title>${escape(`${series.name} at ${options.xLabels[i]}: ${v}`)}</title></circle>`);
        parts.push(`<text x="${x(i).toFixed(1)}" y="${(y(v) - 8).toFixed(1)}" text-anchor="middle" font-size="10" fill="${color}">${v}</text>`);
      });
    });
    let legendX = ox + margin.left;
    panel.series.forEach((series, si) => {
      const color = PALETTE[si % PALETTE.length]!;
      parts.push(`<line x1="${legendX}" x2="${legendX + 14}" y1="${height - 20}" y2="${height - 20}" stroke="${color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="4 3"' : ''}/>`);
      parts.push(`<text x="${legendX + 18}" y="${height - 16}" font-size="11">${escape(series.name)}</text>`);
      legendX += 26 + series.name.length * 6;
    });
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
