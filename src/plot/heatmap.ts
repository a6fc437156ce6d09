// Dependency-free SVG heat-map of a quantity over (log x, log y) cells, with optional line overlays,
// for the CLI's `shells --svg` (spec spectral-shells.md §9(i) step 7: shell energy over log lambda
// and log t with the resolution frontier over it).

/** A line drawn over the heat-map (data coordinates). */
export interface HeatMapLine {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  dashed?: boolean;
}

/** Options of heatMap(). */
export interface HeatMapOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Colour-bar label. */
  valueLabel?: string;
  /** Colour scale: log10 of the values (default true). Non-positive values are left blank. */
  logValues?: boolean;
  /** Decades of the colour scale below the maximum (log scale; default 12). */
  decades?: number;
  width?: number;
  height?: number;
  lines?: HeatMapLine[];
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c] as string));
}

/** Viridis-like ramp by linear interpolation between five anchors; f in [0, 1]. */
function colour(f: number): string {
  const anchors = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const x = Math.min(1, Math.max(0, f)) * (anchors.length - 1);
  const i = Math.min(anchors.length - 2, Math.floor(x));
  const t = x - i;
  const rgb = anchors[i].map((value, k) => Math.round(value + t * (anchors[i + 1][k] - value)));
  return `rgb(${rgb.join(',')})`;
}

/**
 * An SVG document with cell (i, j) spanning [xEdges[i], xEdges[i+1]] x [yEdges[j], yEdges[j+1]]
 * (both axes logarithmic, edges positive and increasing) coloured by values[j * (xEdges.length - 1) + i],
 * decade ticks, a colour bar and the overlay lines.
 * @example heatMap([1, 2, 4], [1, 10], [1, 0.5], { title: 'E_s(t)' })
 */
export function heatMap(xEdges: ArrayLike<number>, yEdges: ArrayLike<number>, values: ArrayLike<number>, options: HeatMapOptions = {}): string {
  const width = options.width ?? 760;
  const height = options.height ?? 500;
  const margin = { left: 78, right: 110, top: options.title ? 40 : 16, bottom: 56 };
  const columns = xEdges.length - 1;
  const rows = yEdges.length - 1;
  const logValues = options.logValues ?? true;
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const lx = (v: number) => Math.log10(v);
  const xLow = lx(xEdges[0]), xHigh = lx(xEdges[columns]);
  const yLow = lx(yEdges[0]), yHigh = lx(yEdges[rows]);
  const px = (v: number) => margin.left + ((lx(v) - xLow) / (xHigh - xLow || 1)) * plotWidth;
  const py = (v: number) => margin.top + plotHeight - ((lx(v) - yLow) / (yHigh - yLow || 1)) * plotHeight;
  let top = -Infinity;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (Number.isFinite(v) && (!logValues || v > 0)) top = Math.max(top, logValues ? Math.log10(v) : v);
  }
  let bottom = Infinity;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (Number.isFinite(v) && (!logValues || v > 0)) bottom = Math.min(bottom, logValues ? Math.log10(v) : v);
  }
  if (logValues) bottom = Math.max(bottom, top - (options.decades ?? 12));
  const span = top - bottom || 1;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  if (options.title) parts.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escape(options.title)}</text>`);
  for (let j = 0; j < rows; j++) {
    const y0 = py(yEdges[j + 1]);
    const y1 = py(yEdges[j]);
    for (let i = 0; i < columns; i++) {
      const v = values[j * columns + i];
      if (!Number.isFinite(v) || (logValues && !(v > 0))) continue;
      const scaled = ((logValues ? Math.log10(v) : v) - bottom) / span;
      const x0 = px(xEdges[i]);
      const x1 = px(xEdges[i + 1]);
      parts.push(`<rect x="${x0.toFixed(2)}" y="${y0.toFixed(2)}" width="${(x1 - x0 + 0.3).toFixed(2)}" height="${(y1 - y0 + 0.3).toFixed(2)}" fill="${colour(scaled)}"/>`);
    }
  }
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="black"/>`);
  const decadeTicks = (low: number, high: number) => {
    const out: number[] = [];
    const first = Math.ceil(Math.min(low, high) - 1e-9);
    const last = Math.floor(Math.max(low, high) + 1e-9);
    const stride = Math.max(1, Math.ceil((last - first + 1) / 8));
    for (let e = first; e <= last; e += stride) out.push(e);
    return out;
  };
  for (const e of decadeTicks(xLow, xHigh)) {
    const x = px(10 ** e);
    parts.push(`<line x1="${x}" y1="${margin.top + plotHeight}" x2="${x}" y2="${margin.top + plotHeight + 5}" stroke="black"/>`);
    parts.push(`<text x="${x}" y="${margin.top + plotHeight + 18}" text-anchor="middle">1e${e}</text>`);
  }
  for (const e of decadeTicks(yLow, yHigh)) {
    const y = py(10 ** e);
    parts.push(`<line x1="${margin.left - 5}" y1="${y}" x2="${margin.left}" y2="${y}" stroke="black"/>`);
    parts.push(`<text x="${margin.left - 8}" y="${y + 4}" text-anchor="end">1e${e}</text>`);
  }
  if (options.xLabel) parts.push(`<text x="${margin.left + plotWidth / 2}" y="${height - 14}" text-anchor="middle">${escape(options.xLabel)}</text>`);
  if (options.yLabel) parts.push(`<text transform="translate(18 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escape(options.yLabel)}</text>`);
  // Colour bar.
  const barX = width - margin.right + 20;
  for (let k = 0; k < 50; k++) {
    const y = margin.top + plotHeight * (1 - (k + 1) / 50);
    parts.push(`<rect x="${barX}" y="${y.toFixed(2)}" width="16" height="${(plotHeight / 50 + 0.3).toFixed(2)}" fill="${colour((k + 0.5) / 50)}"/>`);
  }
  const barLabel = (value: number) => (logValues ? `1e${value.toFixed(1)}` : Number(value.toPrecision(3)).toString());
  if (Number.isFinite(top)) {
    parts.push(`<text x="${barX + 20}" y="${margin.top + 10}">${barLabel(top)}</text>`);
    parts.push(`<text x="${barX + 20}" y="${margin.top + plotHeight}">${barLabel(bottom)}</text>`);
  }
  if (options.valueLabel) parts.push(`<text x="${barX}" y="${margin.top - 4}">${escape(options.valueLabel)}</text>`);
  // Overlay lines, clipped to the plot.
  parts.push(`<clipPath id="plot"><rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}"/></clipPath>`);
  (options.lines ?? []).forEach((line, index) => {
    const points: string[] = [];
    for (let k = 0; k < line.x.length; k++) {
      if (line.x[k] > 0 && line.y[k] > 0 && Number.isFinite(line.x[k]) && Number.isFinite(line.y[k])) points.push(`${px(line.x[k]).toFixed(2)},${py(line.y[k]).toFixed(2)}`);
    }
    const stroke = ['white', '#ff4040', '#40c0ff'][index % 3];
    if (points.length > 1) {
      parts.push(`<polyline clip-path="url(#plot)" points="${points.join(' ')}" fill="none" stroke="${stroke}" stroke-width="2"${line.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    }
    parts.push(`<text x="${margin.left + 8}" y="${margin.top + 16 + 15 * index}" fill="${stroke}" stroke="black" stroke-width="0.3">${escape(line.label)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
