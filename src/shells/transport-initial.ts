// Initial cell energies of the transport solver (spec spectral-shells.md §6, "Initial spectrum and
// energy"): the exact energies E_j(0) = sum_{k in cell j} p_k of the lazy initial condition, with
// cells of the logarithmic grid of §4 subdivided `cellsPerShell` times. Reconstruction [R].
import type { Spectrum } from '../spectrum/spectrum.js';

/** The logarithmic cell grid: cell j covers l in [l_j, l_{j+1}), l = ln(lambda_ref / lambda). */
export interface CellGrid {
  /** lambda_ref. */
  readonly reference: number;
  /** B. */
  readonly base: number;
  /** Index of the top shell (may be negative: cells above lambda_ref). */
  readonly firstShell: number;
  readonly shells: number;
  readonly cellsPerShell: number;
  /** Number of cells, shells * cellsPerShell. */
  readonly cells: number;
  /** Cell width in l, ln(B) / cellsPerShell. */
  readonly width: number;
}

/** Cell energies of a spectrum on the grid, plus the energy of the modes outside it. */
export interface BinnedEnergy {
  readonly energy: Float64Array;
  /** Energy of modes with lambda > lambda_ref B^-firstShell (above the top edge). */
  readonly above: number;
  /** Energy of modes with lambda <= the bottom edge (below the grid). */
  readonly below: number;
}

/**
 * Cell of an eigenvalue: floor(cellsPerShell log_B(lambda_ref / lambda)) - firstShell cellsPerShell,
 * with the convention of src/shells/labels.ts that a boundary eigenvalue lambda_ref B^-(s + m/c)
 * belongs to the cell below it in l (the upper end of its lambda interval). May lie outside
 * [0, cells).
 */
export function cellOf(eigenvalue: number, grid: CellGrid): number {
  const position = grid.cellsPerShell * (Math.log(grid.reference / eigenvalue) / Math.log(grid.base) - grid.firstShell);
  const nearest = Math.round(position);
  return Math.abs(position - nearest) < 1e-12 ? nearest : Math.floor(position);
}

/** Exact cell energies of a power-law or custom spectrum (sum of p_k over the modes in each cell). */
export function binSpectrum(spectrum: Spectrum, grid: CellGrid): BinnedEnergy {
  return spectrum.kind === 'custom' ? binCustom(spectrum.eigenvalues, spectrum.targetPower, grid) : binPowerLaw(spectrum, grid);
}

function binCustom(eigenvalues: Float64Array, targetPower: Float64Array, grid: CellGrid): BinnedEnergy {
  const energy = new Float64Array(grid.cells);
  let above = 0;
  let below = 0;
  for (let k = 0; k < eigenvalues.length; k++) {
    const cell = cellOf(eigenvalues[k], grid);
    if (cell < 0) above += targetPower[k];
    else if (cell >= grid.cells) below += targetPower[k];
    else energy[cell] += targetPower[k];
  }
  return { energy, above, below };
}

/**
 * lambda_k = lambda_1 k^-alpha, p_k = c k^-s with s = alpha beta + 1. Cell j holds the modes
 * k_j <= k < k_{j+1}, k_j the first mode at or below the cell's upper edge; the sums over k are
 * direct for the first terms and Euler-Maclaurin beyond (relative error below 1e-15).
 */
function binPowerLaw(spectrum: Extract<Spectrum, { kind: 'power-law' }>, grid: CellGrid): BinnedEnergy {
  const { alpha, beta, modes, leadingEigenvalue, targetScale } = spectrum;
  const exponent = alpha * beta + 1;
  const end = modes + 1; // one past the last mode (Infinity for M = Infinity)
  // First mode of each cell edge j = 0..cells, clipped to [1, end].
  const firsts = new Float64Array(grid.cells + 1);
  for (let j = 0; j <= grid.cells; j++) {
    const edge = grid.reference * Math.exp(-(grid.firstShell * grid.cellsPerShell + j) * grid.width);
    firsts[j] = Math.min(end, firstModeAtOrBelow(edge, j, leadingEigenvalue, alpha, grid));
  }
  const energy = new Float64Array(grid.cells);
  for (let j = 0; j < grid.cells; j++) energy[j] = targetScale * powerSum(exponent, firsts[j], firsts[j + 1]);
  return {
    energy,
    above: targetScale * powerSum(exponent, 1, firsts[0]),
    below: targetScale * powerSum(exponent, firsts[grid.cells], end),
  };
}

/** Smallest k >= 1 whose eigenvalue lies in cell >= `cell` (lambda_k <= edge, up to the snapping of cellOf). */
function firstModeAtOrBelow(edge: number, cell: number, leadingEigenvalue: number, alpha: number, grid: CellGrid): number {
  const estimate = (leadingEigenvalue / edge) ** (1 / alpha);
  if (!(estimate < 2 ** 52)) return Math.ceil(estimate);
  let k = Math.max(1, Math.ceil(estimate));
  const cellOfMode = (mode: number) => cellOf(leadingEigenvalue * mode ** -alpha, grid);
  while (k > 1 && cellOfMode(k - 1) >= cell) k--;
  while (cellOfMode(k) < cell) k++;
  return k;
}

/** B_{2j} / (2j)!, j = 1..5. */
const BERNOULLI_OVER_FACTORIAL = [1 / 12, -1 / 720, 1 / 30240, -1 / 1209600, 1 / 47900160];

/**
 * sum_{k=a}^{b-1} k^-s for integers 1 <= a <= b (b may be Infinity), s > 1. Terms below
 * max(64, 4s) are summed directly (smallest first); the rest by Euler-Maclaurin,
 * sum_{k=m}^{n-1} f(k) = int_m^n f + (f(m) - f(n))/2 + sum_j B_2j/(2j)! (f^(2j-1)(n) - f^(2j-1)(m)),
 * whose remainder is below (s/(2 pi m))^11 relative for m >= 4s.
 */
export function powerSum(s: number, a: number, b: number): number {
  if (!(b > a)) return 0;
  const switchAt = Math.max(64, Math.ceil(4 * s));
  const directEnd = b - a <= 256 ? b : Math.min(b, Math.max(a, switchAt));
  let direct = 0;
  for (let k = directEnd - 1; k >= a; k--) direct += k ** -s;
  if (directEnd >= b) return direct;
  const m = directEnd;
  // int_m^n x^-s dx = m^(1-s) (1 - (n/m)^(1-s)) / (s - 1), without cancellation for s near 1.
  const integral = (b === Infinity ? m ** (1 - s) : -(m ** (1 - s)) * Math.expm1((1 - s) * Math.log(b / m))) / (s - 1);
  let sum = integral + (m ** -s - (b === Infinity ? 0 : b ** -s)) / 2;
  // f^(r)(x) = (-1)^r (s)_r x^(-s-r); odd r = 2j - 1.
  let rising = s; // (s)_1
  for (let j = 1; j <= BERNOULLI_OVER_FACTORIAL.length; j++) {
    const r = 2 * j - 1;
    const atM = -rising * m ** (-s - r);
    const atN = b === Infinity ? 0 : -rising * b ** (-s - r);
    sum += BERNOULLI_OVER_FACTORIAL[j - 1] * (atN - atM);
    rising *= (s + r) * (s + r + 1);
  }
  return direct + sum;
}
