// Finite-volume fluxes of the transport term d_l(V eps) of spec spectral-shells.md §9(iii):
// first-order upwind, or MUSCL (piecewise-linear reconstruction with a minmod or van Leer slope
// limiter) with upwind face states. Works on caller-owned arrays and allocates nothing.

/** Slope limiters of the MUSCL reconstruction. */
export type Limiter = 'minmod' | 'vanLeer';

/**
 * Largest Courant number |V| dt / dl for which one forward-Euler transport step is TVD (Harten's
 * criterion): 1 for upwind; for MUSCL with face value u_j + sigma_j / 2, the incremental coefficient
 * is nu (1 + psi(r_j)/2 - psi(r_{j-1})/(2 r_{j-1})), which stays in [0, 1] for nu <= 2/3 with minmod
 * (psi <= 1, psi/r <= 1) and nu <= 1/2 with van Leer (psi <= 2, psi/r <= 2). The SSP-RK2 stages
 * are convex combinations of such steps, so the bound carries over.
 */
export function courantLimit(limiter: Limiter | null): number {
  if (limiter === null) return 1;
  return limiter === 'minmod' ? 2 / 3 : 1 / 2;
}

/**
 * Face fluxes F_f = V_f u_upwind, f = 0..N (face f is the left edge of cell f in l; face N the
 * bottom edge), of the cell-average densities `density` (length N). `velocity` holds V at the
 * N + 1 faces. `slopes` (length N) is scratch. With `limiter` null the scheme is first-order upwind.
 *
 * Boundaries: a boundary face whose velocity points into the domain carries V times the given inflow
 * density (`inflowTop` at l_min, `inflowBottom` at l_max); an outflow face carries the reconstructed
 * interior state. For the slopes of the two boundary cells the ghost value is the inflow density on an
 * inflow side and the linear extrapolation 2u_0 - u_1 on an outflow side (so the outflow flux stays
 * second order).
 */
export function faceFluxes(
  density: Float64Array, velocity: Float64Array, flux: Float64Array, slopes: Float64Array,
  limiter: Limiter | null, inflowTop: number, inflowBottom: number,
): void {
  const n = density.length;
  if (limiter === null) {
    upwindFluxes(density, velocity, flux, inflowTop, inflowBottom);
    return;
  }
  const topGhost = velocity[0] > 0 ? inflowTop : n >= 2 ? 2 * density[0] - density[1] : density[0];
  const bottomGhost = velocity[n] < 0 ? inflowBottom : n >= 2 ? 2 * density[n - 1] - density[n - 2] : density[n - 1];
  if (limiter === 'minmod') minmodSlopes(density, slopes, topGhost, bottomGhost);
  else vanLeerSlopes(density, slopes, topGhost, bottomGhost);
  for (let f = 0; f <= n; f++) {
    const v = velocity[f];
    let state = 0;
    if (v > 0) state = f === 0 ? inflowTop : density[f - 1] + 0.5 * slopes[f - 1];
    else if (v < 0) state = f === n ? inflowBottom : density[f] - 0.5 * slopes[f];
    flux[f] = v * state;
  }
}

function upwindFluxes(density: Float64Array, velocity: Float64Array, flux: Float64Array, inflowTop: number, inflowBottom: number): void {
  const n = density.length;
  for (let f = 0; f <= n; f++) {
    const v = velocity[f];
    let state = 0;
    if (v > 0) state = f === 0 ? inflowTop : density[f - 1];
    else if (v < 0) state = f === n ? inflowBottom : density[f];
    flux[f] = v * state;
  }
}

/** sigma_j = minmod(u_j - u_{j-1}, u_{j+1} - u_j), with ghosts u_{-1}, u_N. */
function minmodSlopes(density: Float64Array, slopes: Float64Array, topGhost: number, bottomGhost: number): void {
  const n = density.length;
  let left = density[0] - topGhost;
  for (let j = 0; j < n; j++) {
    const right = (j + 1 < n ? density[j + 1] : bottomGhost) - density[j];
    slopes[j] = left * right <= 0 ? 0 : Math.abs(left) < Math.abs(right) ? left : right;
    left = right;
  }
}

/** sigma_j = 2 a b / (a + b) when a b > 0, else 0 (van Leer), a and b the one-sided differences. */
function vanLeerSlopes(density: Float64Array, slopes: Float64Array, topGhost: number, bottomGhost: number): void {
  const n = density.length;
  let left = density[0] - topGhost;
  for (let j = 0; j < n; j++) {
    const right = (j + 1 < n ? density[j + 1] : bottomGhost) - density[j];
    const product = left * right;
    slopes[j] = product <= 0 ? 0 : (2 * product) / (left + right);
    left = right;
  }
}
