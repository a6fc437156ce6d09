// Forward-in-time solver of the discrete-time DMFT of online projected SGD (spec
// feature-learning.md §4.2 [D][V], a reconstruction: §4.2 (i) mode side, (ii) hidden-unit side,
// (iii) the causal order, (iv) the exact-Gaussian SGD variance, (v) the N, B -> Infinity limits).
// Every operator is causal, so one pass over t = 0 .. steps - 1 fills row t of every kernel:
//   hidden side (dmft-hidden.ts): rows t of W, C_w, R_0 and R_z = R_0 Y (the FULL response), and
//     C_z(t, .) = R_z(t, .) C_g R_z^T, which uses rows < t of C_g only;
//   mode side (assembly/fl-dmft.ts): H_k(t, .) = e_t - lambda_k sum_{u<t} R_z(t, u) H_k(u, .),
//     a_k(t) = (H_k 1)(t), Zhat_k(t, .) = H_k(t, .) [C_z/N + diag(shat_k^2)] H_k^T, and rows t of
//     C_g = sum_k [lambda_k p_k a_k a_k^T + n_k lambda_k^2 Zhat_k] and R_g = -(1/N) sum_k n_k lambda_k H_k;
//     L(t) = sum_k [p_k a_k(t)^2 + n_k lambda_k Zhat_k(t, t)] (Cov_k(t, t) = Zhat_k(t, t) while shat_k(t) = 0);
//   then shat_k(t)^2 = s_k(t)^2 / lambda_k^2 = (L(t) / lambda_k + [exact] E v_k(t)^2) / B, which enters
//     C_g(t, t) as sum_k n_k lambda_k^2 shat_k(t)^2; then rows t of Y and C_h (dmft-hidden.ts).
// shat = s / lambda makes Cov_k = Zhat_k - diag(shat_k^2) and C_g's fluctuation part lambda_k^2 Zhat_k
// one matrix (g_k = lambda_k v_k + s_k eps_k and H_k = I - lambda_k H_k R_z) [D]. N = Infinity drops
// C_z / N and R_g; B = Infinity drops the noise. Cost O(modes steps^3), memory O(modes steps^2 / 2).
import { ParameterError } from '../errors.js';
import type { Monitor } from '../control.js';
import type { FlDmftKernels } from '../engine/fl-dmft-kernels.js';
import type { DmftModes } from './dmft-bins.js';
import { HiddenUnits } from './dmft-hidden.js';

/** Parameters of one online solve. */
export interface OnlineProblem {
  readonly nodes: DmftModes;
  /** Time points 0 .. steps - 1. */
  readonly steps: number;
  readonly modelSize: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly featureLearning: number;
  /** 'exact': shat^2 includes lambda^2 E v_k^2 (§4.2 (iv)); 'diagonal': lambda L / B only. */
  readonly sgdNoise: 'exact' | 'diagonal';
}

/** Divergence threshold: L(t) > L(0) * DIVERGED stops the solve. */
export const DIVERGED = 1e6;

/** The test loss at steps 0 .. steps - 1. */
export function solveOnline(problem: OnlineProblem, kernels: FlDmftKernels, monitor: Monitor, workPerStep: (t: number) => number): Float64Array {
  const { nodes, steps: n, modelSize, batchSize, learningRate: eta, featureLearning: gamma } = problem;
  const modes = nodes.eigenvalues.length;
  const finiteWidth = modelSize !== Infinity;
  const inverseModelSize = finiteWidth ? 1 / modelSize : 0;
  const inverseBatch = batchSize === Infinity ? 0 : 1 / batchSize;
  const exactNoise = problem.sgdNoise === 'exact';
  const sources = finiteWidth || inverseBatch > 0;
  const loss = new Float64Array(n);
  const hidden = new HiddenUnits(n, eta, gamma, finiteWidth);
  const { Rz, Cg, Rg } = hidden;

  const state = kernels.start({ steps: n, modes, finiteWidth });
  try {
    state.view('eigenvalues').set(nodes.eigenvalues);
    state.view('counts').set(nodes.counts);
    state.view('targetPower').set(nodes.targetPower);
    let done = 0;
    for (let t = 0; t < n; t++) {
      const row = t * n;
      hidden.response(t);
      if (finiteWidth) hidden.sourceCorrelation(t, state.view('correlation'));
      state.view('row').set(Rz.subarray(row, row + n));
      state.view('correlationRow').fill(0);
      state.view('responseRow').fill(0);
      const value = state.modes(t, { correlationScale: inverseModelSize, secondScale: 0, responseScale: inverseModelSize, sources });
      checkLoss(value, t, loss[0], eta);
      loss[t] = value;
      const correlationRow = state.view('correlationRow');
      if (inverseBatch > 0) {
        const noise = state.view('noise');
        const means = state.view('means');
        const diagonal = state.view('diagonal');
        let added = 0;
        for (let k = 0; k < modes; k++) {
          const lambda = nodes.eigenvalues[k];
          const count = nodes.counts[k];
          const mean = means[k * n + t];
          // E v_k(t)^2 per mode: mean^2 with w*_k^2 = p_b / (n_b lambda_b), plus Cov_k(t, t) = Zhat_k(t, t)
          const second = exactNoise ? nodes.targetPower[k] / (count * lambda) * mean * mean + diagonal[k] : 0;
          const shat = (value / lambda + second) * inverseBatch;
          noise[k * n + t] = shat;
          added += count * lambda * lambda * shat;
        }
        correlationRow[t] += added;
      }
      for (let s = 0; s <= t; s++) {
        Cg[row + s] = correlationRow[s];
        Cg[s * n + t] = correlationRow[s];
      }
      if (Rg) Rg.set(state.view('responseRow').subarray(0, t + 1), row);
      hidden.close(t);
      done += workPerStep(t);
      monitor.step(done);
    }
  } finally {
    state.dispose();
  }
  return loss;
}

/** Throws the divergence error (non-finite loss, or above DIVERGED L(0)). */
export function checkLoss(value: number, t: number, initial: number, learningRate: number): void {
  if (!Number.isFinite(value) || (t > 0 && value > initial * DIVERGED)) {
    throw new ParameterError('learningRate', learningRate, 'a smaller value (the DMFT loss diverges)',
      `L(${t}) = ${value} with L(0) = ${initial}: the dynamics are unstable at these parameters`);
  }
}
