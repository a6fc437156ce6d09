// Forward-in-time solver of the data-reuse DMFT (full-batch gradient descent on P fixed samples;
// spec feature-learning.md §4.3 [D][V], a reconstruction), with the hidden-unit side of §4.2 (ii)
// (src/feature-learning/dmft-hidden.ts). Per mode k (assembly/fl-dmft.ts with row = R_z R_1):
//   H_k = (I + lambda_k R_z R_1)^-1,  V_k = E v_k v_k^T = w*_k^2 a_k a_k^T + H_k (C_z/N + (lambda_k/P) D) H_k^T,
//   D = R_z C_1 R_z^T,  a_k = H_k 1.
// Shared kernels, row t in causal order (R_z strictly lower, so every right-hand side uses rows < t
// or quantities already formed at step t):
//   C_nu = sum_k lambda_k V_k (test loss L = C_nu(t, t)),  S_2 = sum_k lambda_k^2 V_k,
//   R_vg = -(1/P) sum_k lambda_k H_k R_z,  R_vg2 = -(1/P) sum_k lambda_k^2 H_k R_z,  R_1 = (I - R_vg)^-1,
//   C_1 = R_1 C_nu R_1^T (train loss C_1(t, t)),  R_g = -(1/N) R_1 sum_k lambda_k H_k,
//   C_g = R_1 S_2 R_1^T + R_1 R_vg2 C_1 + (R_1 R_vg2 C_1)^T + (sum_k lambda_k / P) C_1.
// The last line is §4.3's C_g = sum_k [lambda^2 R_1 H (w^2 11^T + C_z/N) H^T R_1^T + (lambda/P) H~ C_1 H~^T]
// rewritten with g_k = lambda_k R_1 v_k + sqrt(lambda_k/P) eps_k (which follows from
// H~_k + lambda_k R_1 H_k R_z = I), so that H~_k = (I + lambda_k R_1 R_z)^-1 is never formed [D].
import type { Monitor } from '../control.js';
import type { FlDmftKernels } from '../engine/fl-dmft-kernels.js';
import type { DmftModes } from './dmft-bins.js';
import { HiddenUnits, sandwichRow } from './dmft-hidden.js';
import { checkLoss } from './dmft-online.js';

/** Parameters of one data-reuse solve. */
export interface ReuseProblem {
  readonly nodes: DmftModes;
  readonly steps: number;
  readonly modelSize: number;
  readonly dataSize: number;
  readonly learningRate: number;
  readonly featureLearning: number;
}

/** Test and train losses at steps 0 .. steps - 1. */
export function solveReuse(problem: ReuseProblem, kernels: FlDmftKernels, monitor: Monitor, workPerStep: (t: number) => number): { loss: Float64Array; trainLoss: Float64Array } {
  const { nodes, steps: n, modelSize, dataSize, learningRate: eta, featureLearning: gamma } = problem;
  const modes = nodes.eigenvalues.length;
  const finiteWidth = modelSize !== Infinity;
  const inverseModelSize = finiteWidth ? 1 / modelSize : 0;
  const inverseData = 1 / dataSize;
  const loss = new Float64Array(n);
  const trainLoss = new Float64Array(n);
  const hidden = new HiddenUnits(n, eta, gamma, finiteWidth);
  const { Rz, Cg, Rg } = hidden;
  let trace = 0;
  for (let k = 0; k < modes; k++) trace += nodes.counts[k] * nodes.eigenvalues[k];

  const R1 = new Float64Array(n * n);
  const Cnu = new Float64Array(n * n);
  const C1 = new Float64Array(n * n);
  const S2 = new Float64Array(n * n);
  const Rvg2 = new Float64Array(n * n);
  const E = new Float64Array(n * n); // R_vg2 C_1
  const F = new Float64Array(n * n); // R_1 R_vg2 C_1
  const Hs = new Float64Array(n * n); // -sum_k n_k lambda_k H_k
  const T1 = new Float64Array(n * n); // R_1 S_2 R_1^T (rows as they are formed)
  const Rvg = new Float64Array(n);
  const operator = new Float64Array(n);
  const work = new Float64Array(n);

  const state = kernels.start({ steps: n, modes, finiteWidth, reuse: true });
  try {
    state.view('eigenvalues').set(nodes.eigenvalues);
    state.view('counts').set(nodes.counts);
    state.view('targetPower').set(nodes.targetPower);
    let done = 0;
    for (let t = 0; t < n; t++) {
      const row = t * n;
      hidden.response(t);
      if (finiteWidth) hidden.sourceCorrelation(t, state.view('correlation'));
      sandwichRow(n, t, Rz, C1, state.view('secondCorrelation'), true, work);
      // (R_z R_1)(t, u) = sum_{u <= a < t} R_z(t, a) R_1(a, u)
      operator.fill(0);
      for (let a = 0; a < t; a++) {
        const c = Rz[row + a];
        if (c === 0) continue;
        const source = a * n;
        for (let u = 0; u <= a; u++) operator[u] += c * R1[source + u];
      }
      state.view('row').set(operator);
      state.view('correlationRow').fill(0);
      state.view('potentialRow').fill(0);
      state.view('responseRow').fill(0);
      state.view('secondResponseRow').fill(0);
      const value = state.modes(t, { correlationScale: inverseModelSize, secondScale: inverseData, responseScale: 1, sources: true });
      checkLoss(value, t, loss[0], eta);
      loss[t] = value;
      const potential = state.view('potentialRow');
      const correlation = state.view('correlationRow');
      const response = state.view('responseRow');
      const secondResponse = state.view('secondResponseRow');
      for (let s = 0; s <= t; s++) {
        Cnu[row + s] = potential[s];
        Cnu[s * n + t] = potential[s];
        S2[row + s] = correlation[s];
        S2[s * n + t] = correlation[s];
        Hs[row + s] = response[s];
      }
      // R_vg(t, s) = (1/P) sum_{s < u <= t} Hs(t, u) R_z(u, s); R_vg2 likewise with the lambda^2 sum.
      Rvg.fill(0);
      for (let u = 1; u <= t; u++) {
        const c = response[u] * inverseData;
        const c2 = secondResponse[u] * inverseData;
        const source = u * n;
        for (let s = 0; s < u; s++) {
          Rvg[s] += c * Rz[source + s];
          Rvg2[row + s] += c2 * Rz[source + s];
        }
      }
      // R_1(t, .) = e_t + sum_{u < t} R_vg(t, u) R_1(u, .)
      R1[row + t] = 1;
      for (let u = 0; u < t; u++) {
        const c = Rvg[u];
        if (c === 0) continue;
        const source = u * n;
        for (let s = 0; s <= u; s++) R1[row + s] += c * R1[source + s];
      }
      sandwichRow(n, t, R1, Cnu, C1, false, work);
      trainLoss[t] = C1[row + t];
      // E = R_vg2 C_1: row t and column t.  F = R_1 E: row t and column t.
      for (let s = 0; s <= t; s++) E[row + s] = dotRange(Rvg2, row, C1, s, n, t);
      for (let u = 0; u < t; u++) E[u * n + t] = dotRange(Rvg2, u * n, C1, t, n, u);
      for (let s = 0; s <= t; s++) F[row + s] = columnDot(R1, row, E, s, n, t + 1);
      for (let s = 0; s < t; s++) F[s * n + t] = columnDot(R1, s * n, E, t, n, s + 1);
      sandwichRow(n, t, R1, S2, T1, false, work);
      for (let s = 0; s <= t; s++) {
        const value = T1[row + s] + F[row + s] + F[s * n + t] + trace * inverseData * C1[row + s];
        Cg[row + s] = value;
        Cg[s * n + t] = value;
      }
      if (Rg) {
        // R_g(t, s) = (1/N) sum_{s <= u <= t} R_1(t, u) Hs(u, s)
        for (let s = 0; s <= t; s++) {
          let sum = 0;
          for (let u = s; u <= t; u++) sum += R1[row + u] * Hs[u * n + s];
          Rg[row + s] = sum * inverseModelSize;
        }
      }
      hidden.close(t);
      done += workPerStep(t);
      monitor.step(done);
    }
  } finally {
    state.dispose();
  }
  return { loss, trainLoss };
}

/** sum_{a < count} A(row, a) B(a, column): A at `rowOffset`, B row-major with stride n. */
function dotRange(a: Float64Array, rowOffset: number, b: Float64Array, column: number, n: number, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += a[rowOffset + i] * b[i * n + column];
  return sum;
}

/** sum_{u < count} A(row, u) B(u, column). */
function columnDot(a: Float64Array, rowOffset: number, b: Float64Array, column: number, n: number, count: number): number {
  return dotRange(a, rowOffset, b, column, n, count);
}
