// The main job (npm start): a hard task, alpha = 1.5, beta = 0.5, with infinitely many modes.
// Gradient flow (at t = eta * steps) against online SGD at two batch sizes; fitted exponents
// beside the theoretical beta; a log-log SVG plot.
import { fitPowerLaw, lazy, type LazyResult } from '../api.js';
import { lineChart } from '../plot/svg.js';

/** Parameters of the main job. */
export const DEMO = { alpha: 1.5, beta: 0.5, modes: Infinity, learningRate: 0.4, batchSizes: [1, 16], steps: { from: 1, to: 1e5, count: 51, spacing: 'log' as const }, fitWindow: { from: 1e3, to: 1e5 } };

/** Result of the main job. */
export interface DemoResult {
  steps: Float64Array;
  curves: { label: string; result: LazyResult; exponent: number; standardError: number }[];
  svg: string;
  theory: number;
}

/** Runs the main job. */
export function runDemo(engine: 'auto' | 'wasm-simd' | 'wasm' | 'js' = 'auto', onProgress?: (fraction: number) => void): DemoResult {
  const { alpha, beta, modes, learningRate, batchSizes, steps, fitWindow } = DEMO;
  const stepGrid = lazy({ alpha, beta, modes: 1, optimizer: 'gd', learningRate, times: steps, engine: 'js' }).times;
  const flow = lazy({ alpha, beta, modes, times: stepGrid.map((n) => n * learningRate), engine });
  const runs: { label: string; result: LazyResult }[] = [{ label: 'gradient flow (t = eta n)', result: flow }];
  batchSizes.forEach((batchSize, index) => {
    runs.push({
      label: `SGD B = ${batchSize}`,
      result: lazy({
        alpha, beta, modes, optimizer: 'sgd', learningRate, batchSize, times: stepGrid, engine,
        onProgress: onProgress && ((progress) => onProgress((index + progress.fraction) / batchSizes.length)),
      }),
    });
  });
  const curves = runs.map(({ label, result }) => {
    const fit = fitPowerLaw(stepGrid, result.loss, fitWindow);
    return { label, result, exponent: fit.exponent, standardError: fit.standardError };
  });
  const svg = lineChart([
    ...curves.map(({ label, result }) => ({ label, x: stepGrid, y: result.loss })),
    { label: 'Γ(β)/α (2ηn)^-β', x: stepGrid, y: stepGrid.map((n) => gammaHalfOverAlpha(alpha) * (2 * learningRate * n) ** -beta), dashed: true },
  ], { title: `lazy dynamics, hard task α = ${alpha}, β = ${beta}, M = ∞, η = ${learningRate}`, xLabel: 'steps n', yLabel: 'test loss L' });
  return { steps: stepGrid, curves, svg, theory: beta };
}

/** Gamma(1/2)/alpha = sqrt(pi)/alpha, the asymptotic prefactor for beta = 1/2. */
function gammaHalfOverAlpha(alpha: number): number {
  return Math.sqrt(Math.PI) / alpha;
}
