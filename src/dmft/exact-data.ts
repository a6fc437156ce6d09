// One data set of the exact finite-size reference solver (spec dmft-random-features.md §4, steps
// 1-3): Gaussian features psi = Lambda^(1/2) z drawn from the package PRNG, and the spectral data
// of the empirical covariance G/P (N <= P) or of the P x P Gram matrix (N > P, null space of G
// treated analytically) that every observable of §4 is assembled from.
import type { EigenKernels } from '../engine/eigen-kernels.js';
import { Random } from '../random.js';

/**
 * Draws the P x N feature matrix Psi (row-major, row mu = sample mu) of data seed `seed`:
 * Psi[mu][k] = sqrt(lambda_k) z with z standard normal from `new Random(seed)`, drawn sample by
 * sample and, within a sample, mode by mode (the documented order, so that tests can redraw it).
 */
export function drawFeatures(seed: number, eigenvalues: Float64Array, dataSize: number): Float64Array {
  const modelSize = eigenvalues.length;
  const random = new Random(seed);
  const features = new Float64Array(dataSize * modelSize);
  const scales = eigenvalues.map(Math.sqrt);
  for (let mu = 0; mu < dataSize; mu++) {
    for (let k = 0; k < modelSize; k++) features[mu * modelSize + k] = scales[k] * random.normal();
  }
  return features;
}

/**
 * Spectral data of one data set in package units: the eigenpairs (q_i, v_i) of G/P = Psi^T Psi / P
 * on its range (r = min(N, P) pairs, q_i >= 0), and on the null space of G (only when N > P) the
 * weights needed for H = weightDecay there. With Ã = V^T Lambda V and Õ = V^T Omega V
 * (Omega = diag(w*_k^2), the teacher second moments), spec §4 step 3.
 */
export interface SeedSpectrum {
  /** r, the number of range eigenpairs. */
  rank: number;
  /** Eigenvalues q_i of G/P (descending, clipped at 0). */
  covariance: Float64Array;
  /** Ã_ii. */
  lambdaDiagonal: Float64Array;
  /** Õ_ii. */
  teacherDiagonal: Float64Array;
  /** Ã_ij Õ_ij, r x r row-major: Tr[Lambda F Omega F] on the range is F^T (this) F. */
  coupling: Float64Array;
  /** (v_i)_k^2, r x N row-major: diagonal of any matrix function in the mode basis. */
  weights: Float64Array;
  /** Tr[Lambda Pi], Pi the projector on the null space of G (0 when N <= P). */
  nullLambda: number;
  /** v_i^T Omega Pi Lambda v_i = (Lambda Omega)_{v_i v_i} - sum_j Ã_ij Õ_ij (zeros when N <= P). */
  nullCross: Float64Array;
  /** Tr[Lambda Pi Omega Pi] (0 when N <= P). */
  nullTeacher: number;
  /** Pi_kk (zeros when N <= P). */
  nullDiagonal: Float64Array;
}

/** transposes a rows x columns row-major matrix. */
function transpose(matrix: Float64Array, rows: number, columns: number): Float64Array {
  const out = new Float64Array(rows * columns);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) out[j * rows + i] = matrix[i * columns + j];
  }
  return out;
}

/**
 * Spectral data of the data set `features` (P x N). Covariance form (N <= P): eigendecomposition
 * of G/P, O(P N^2 + N^3). Gram form (N > P): eigendecomposition of Psi Psi^T / P, range vectors
 * v_j = Psi^T u_j / |Psi^T u_j|, O(N P^2 + P^3) (spec §4, "Cost").
 */
export function seedSpectrum(
  kernels: EigenKernels, features: Float64Array, dataSize: number, eigenvalues: Float64Array, teacher: Float64Array,
): SeedSpectrum {
  const N = eigenvalues.length;
  const P = dataSize;
  const gram = N > P;
  const r = gram ? P : N;
  const transposed = transpose(features, P, N); // N x P: row k = feature k over the samples
  const matrix = new Float64Array(r * r);
  const covariance = new Float64Array(r);
  let basis: Float64Array; // r x N, row i = v_i
  if (!gram) {
    kernels.rowProducts(transposed, N, transposed, N, P, matrix);
    for (let i = 0; i < matrix.length; i++) matrix[i] /= P;
    kernels.decompose(matrix, N, covariance);
    basis = matrix;
  } else {
    kernels.rowProducts(features, P, features, P, N, matrix);
    for (let i = 0; i < matrix.length; i++) matrix[i] /= P;
    kernels.decompose(matrix, P, covariance);
    basis = new Float64Array(P * N);
    kernels.rowProducts(matrix, P, transposed, N, P, basis); // row j = Psi^T u_j
    for (let j = 0; j < P; j++) {
      let norm = 0;
      for (let k = 0; k < N; k++) norm += basis[j * N + k] ** 2;
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let k = 0; k < N; k++) basis[j * N + k] *= scale;
    }
  }
  for (let i = 0; i < r; i++) if (!(covariance[i] > 0)) covariance[i] = 0; // round-off negatives (spec §4 step 2)

  const scaledLambda = new Float64Array(r * N);
  const scaledTeacher = new Float64Array(r * N);
  const weights = new Float64Array(r * N);
  for (let i = 0; i < r; i++) {
    for (let k = 0; k < N; k++) {
      const v = basis[i * N + k];
      scaledLambda[i * N + k] = v * eigenvalues[k];
      scaledTeacher[i * N + k] = v * teacher[k];
      weights[i * N + k] = v * v;
    }
  }
  const lambdaMatrix = new Float64Array(r * r);
  const teacherMatrix = new Float64Array(r * r);
  kernels.rowProducts(scaledLambda, r, basis, r, N, lambdaMatrix);
  kernels.rowProducts(scaledTeacher, r, basis, r, N, teacherMatrix);
  const coupling = new Float64Array(r * r);
  const lambdaDiagonal = new Float64Array(r);
  const teacherDiagonal = new Float64Array(r);
  for (let i = 0; i < r; i++) {
    lambdaDiagonal[i] = lambdaMatrix[i * r + i];
    teacherDiagonal[i] = teacherMatrix[i * r + i];
    for (let j = 0; j < r; j++) coupling[i * r + j] = lambdaMatrix[i * r + j] * teacherMatrix[i * r + j];
  }
  const nullCross = new Float64Array(r);
  const nullDiagonal = new Float64Array(N);
  let nullLambda = 0;
  let nullTeacher = 0;
  if (gram) {
    let traceLambda = 0;
    let traceProduct = 0;
    for (let k = 0; k < N; k++) {
      traceLambda += eigenvalues[k];
      traceProduct += eigenvalues[k] * teacher[k];
      nullDiagonal[k] = 1;
    }
    let rangeLambda = 0;
    let rangeProduct = 0;
    let rangeCoupling = 0;
    for (let i = 0; i < r; i++) {
      let product = 0;
      for (let k = 0; k < N; k++) {
        product += weights[i * N + k] * eigenvalues[k] * teacher[k];
        nullDiagonal[k] -= weights[i * N + k];
      }
      let row = 0;
      for (let j = 0; j < r; j++) row += coupling[i * r + j];
      nullCross[i] = product - row;
      rangeLambda += lambdaDiagonal[i];
      rangeProduct += product;
      rangeCoupling += row;
    }
    nullLambda = Math.max(0, traceLambda - rangeLambda);
    nullTeacher = Math.max(0, traceProduct - 2 * rangeProduct + rangeCoupling);
    for (let k = 0; k < N; k++) nullDiagonal[k] = Math.max(0, nullDiagonal[k]);
  }
  return { rank: r, covariance, lambdaDiagonal, teacherDiagonal, coupling, weights, nullLambda, nullCross, nullTeacher, nullDiagonal };
}
