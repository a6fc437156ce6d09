// SVG of a compute-optimal frontier (feature-learning.md §3.9, Fig. 4 of §5): each model size's
// loss against compute C = N t, the envelope L*(C) = min_N L(C/N, N), its fitted power law and the
// Table 1 slope through the same point. Built on lineChart (src/plot/svg.ts).
import type { ComputeOptimalFrontierResult } from '../feature-learning/frontier.js';
import { lineChart, type Series } from './svg.js';

/**
 * Log-log chart of the loss curves of `frontier` against compute, with the envelope (the last solid
 * curve), the fitted C^-r over the fit window and the Table 1 slope (dashed).
 * @example envelopeChart(computeOptimalFrontier({ alpha: 2, beta: 0.5, modes: 2048, modelSizes: [16, 32, 64] }))
 */
export function envelopeChart(frontier: ComputeOptimalFrontierResult, title?: string): string {
  const { fit, theory } = frontier;
  const inside = Array.from(frontier.compute).filter((c) => c >= fit.from && c <= fit.to);
  const centre = Math.sqrt(fit.from * fit.to);
  const anchor = fit.prefactor * centre ** -fit.exponent;
  // The envelope and the two slopes first (distinct colours), then at most CURVES of the loss curves
  // (evenly chosen, smallest and largest N included): the palette has 8 colours.
  const series: Series[] = [
    { label: 'envelope min_N L(C/N, N)', x: frontier.compute, y: frontier.envelope },
    { label: `fit C^-${fit.exponent.toFixed(3)} ± ${fit.standardError.toFixed(3)}`, x: inside, y: inside.map((c) => fit.prefactor * c ** -fit.exponent), dashed: true },
    { label: `Table 1: C^-${theory.lossExponent.toFixed(3)}`, x: inside, y: inside.map((c) => anchor * (c / centre) ** -theory.lossExponent), dashed: true },
  ];
  const count = frontier.curves.length;
  const shown = count <= CURVES ? frontier.curves.map((_, index) => index)
    : [...new Set(Array.from({ length: CURVES }, (_, k) => Math.round((k * (count - 1)) / (CURVES - 1))))];
  for (const index of shown) {
    const curve = frontier.curves[index];
    const n = frontier.modelSizes[index];
    const x: number[] = [];
    const y: number[] = [];
    for (let j = 0; j < curve.times.length; j++) {
      if (curve.times[j] > 0 && Number.isFinite(curve.times[j])) {
        x.push(n * curve.times[j]);
        y.push(curve.loss[j]);
      }
    }
    series.push({ label: `N = ${n}`, x, y });
  }
  const unit = frontier.meta.timeUnit === 'steps' ? 'N x steps' : 'N x tau';
  const sizes = shown.length < count ? ` (${shown.length} of ${count} sizes drawn)` : '';
  return lineChart(series, {
    title: title ?? `compute-optimal frontier, ${frontier.theory.difficulty} task, ${frontier.meta.methods.join(', ')}${sizes}`,
    xLabel: `compute C = ${unit}`,
    yLabel: 'test loss L',
  });
}

/** Most loss curves drawn (3 series + 5 curves = the 8 colours of lineChart). */
const CURVES = 5;
