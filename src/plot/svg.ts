// Dependency-free SVG line charts with logarithmic axes, for the CLI (--svg) and the main job.
// Decades get labelled ticks; non-positive values are skipped on log axes.

/** One curve. */
export interface Series {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Draw dashed (e.g. a theory line). */
  dashed?: boolean;
}

/** Chart options. */
export interface ChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Logarithmic axes (default true for both). */
  logX?: boolean;
  logY?: boolean;
  width?: number;
  height?: number;
  /** Points to mark (drawn over the curves, e.g. an optimal stopping time); none by default. */
  markers?: ChartMarker[];
  /** Where the legend goes: 'inside' the plot's top right corner (default) or in a margin to the 'right'. */
  legend?: 'inside' | 'right';
}

/** A marked point: a circle at (x, y), dotted guides to both axes, and its label at the foot of the vertical guide. */
export interface ChartMarker {
  label: string;
  x: number;
  y: number;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c] as string));
}

function format(value: number): string {
  if (value === 0) return '0';
  const exponent = Math.round(Math.log10(Math.abs(value)));
  if (Math.abs(value - 10 ** exponent) < 1e-9 * Math.abs(value) && Math.abs(exponent) >= 3) return `1e${exponent}`;
  return Number(value.toPrecision(3)).toString();
}

function ticks(low: number, high: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    const first = Math.ceil(Math.log10(low) - 1e-9);
    const last = Math.floor(Math.log10(high) + 1e-9);
    const stride = Math.max(1, Math.ceil((last - first + 1) / 8));
    for (let e = first; e <= last; e += stride) out.push(10 ** e);
    return out.length ? out : [low, high];
  }
  const span = high - low || 1;
  const step = 10 ** Math.floor(Math.log10(span / 5));
  const unit = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= 6) as number;
  const out: number[] = [];
  for (let v = Math.ceil(low / unit) * unit; v <= high + 1e-12 * span; v += unit) out.push(v);
  return out;
}

/**
 * An SVG document plotting `series` (log-log by default), with axes, decade ticks and a legend.
 * @example lineChart([{ label: 'L', x: [1, 10], y: [1, 0.1] }], { title: 'loss' })
 */
export function lineChart(series: Series[], options: ChartOptions = {}): string {
  const width = options.width ?? 720;
  const height = options.height ?? 480;
  const logX = options.logX ?? true;
  const logY = options.logY ?? true;
  const margin = { left: 78, right: options.legend === 'right' ? 210 : 20, top: options.title ? 40 : 16, bottom: 56 };
  const usable = (v: number, log: boolean) => Number.isFinite(v) && (!log || v > 0);
  let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.x.length; i++) {
      if (!usable(s.x[i], logX) || !usable(s.y[i], logY)) continue;
      xMin = Math.min(xMin, s.x[i]); xMax = Math.max(xMax, s.x[i]);
      yMin = Math.min(yMin, s.y[i]); yMax = Math.max(yMax, s.y[i]);
    }
  }
  if (!Number.isFinite(xMin)) { xMin = 1; xMax = 10; yMin = 1; yMax = 10; }
  if (xMin === xMax) { xMin = logX ? xMin / 2 : xMin - 1; xMax = logX ? xMax * 2 : xMax + 1; }
  if (yMin === yMax) { yMin = logY ? yMin / 2 : yMin - 1; yMax = logY ? yMax * 2 : yMax + 1; }
  const tx = (v: number) => logX ? Math.log10(v) : v;
  const ty = (v: number) => logY ? Math.log10(v) : v;
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const px = (v: number) => margin.left + (tx(v) - tx(xMin)) / (tx(xMax) - tx(xMin)) * plotWidth;
  const py = (v: number) => margin.top + plotHeight - (ty(v) - ty(yMin)) / (ty(yMax) - ty(yMin)) * plotHeight;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  if (options.title) parts.push(`<text x="${width / 2}" y="24" text-anchor="middle" font-size="15">${escape(options.title)}</text>`);
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333"/>`);
  for (const t of ticks(xMin, xMax, logX)) {
    const x = px(t).toFixed(1);
    parts.push(`<line x1="${x}" y1="${margin.top}" x2="${x}" y2="${margin.top + plotHeight}" stroke="#ddd"/>`,
      `<text x="${x}" y="${margin.top + plotHeight + 16}" text-anchor="middle">${format(t)}</text>`);
  }
  for (const t of ticks(yMin, yMax, logY)) {
    const y = py(t).toFixed(1);
    parts.push(`<line x1="${margin.left}" y1="${y}" x2="${margin.left + plotWidth}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${margin.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${format(t)}</text>`);
  }
  if (options.xLabel) parts.push(`<text x="${margin.left + plotWidth / 2}" y="${height - 14}" text-anchor="middle">${escape(options.xLabel)}</text>`);
  if (options.yLabel) parts.push(`<text transform="translate(18 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escape(options.yLabel)}</text>`);
  series.forEach((s, index) => {
    const colour = COLOURS[index % COLOURS.length];
    const points: string[] = [];
    for (let i = 0; i < s.x.length; i++) {
      if (usable(s.x[i], logX) && usable(s.y[i], logY)) points.push(`${px(s.x[i]).toFixed(2)},${py(s.y[i]).toFixed(2)}`);
    }
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${points.join(' ')}"/>`);
    const ly = margin.top + 16 + index * 18;
    const lx = options.legend === 'right' ? margin.left + plotWidth + 12 : margin.left + plotWidth - 200;
    parts.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${lx + 30}" y="${ly}" dominant-baseline="middle">${escape(s.label)}</text>`);
  });
  for (const marker of options.markers ?? []) parts.push(...markerParts(marker, px, py, usable(marker.x, logX) && usable(marker.y, logY), margin, plotHeight));
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** SVG elements of one marker (nothing when its point cannot be drawn on these axes). */
function markerParts(marker: ChartMarker, px: (v: number) => number, py: (v: number) => number, drawable: boolean,
  margin: { left: number; top: number }, plotHeight: number): string[] {
  if (!drawable) return [];
  const x = px(marker.x).toFixed(2);
  const y = py(marker.y).toFixed(2);
  return [
    `<line x1="${x}" y1="${y}" x2="${x}" y2="${margin.top + plotHeight}" stroke="#000" stroke-dasharray="2 3"/>`,
    `<line x1="${margin.left}" y1="${y}" x2="${x}" y2="${y}" stroke="#000" stroke-dasharray="2 3"/>`,
    `<circle cx="${x}" cy="${y}" r="5" fill="#000"/>`,
    `<text x="${(Number(x) + 6).toFixed(2)}" y="${(margin.top + plotHeight - 8).toFixed(2)}">${escape(marker.label)}</text>`,
  ];
}
