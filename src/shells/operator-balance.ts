// Shell energies, dissipation, integrated net transfer, boundary fluxes and their split into
// crossing and rotation parts, from modal data on a time grid (spec spectral-shells.md §4 and
// §9(i).1-.4) — the coarse-graining evolvingOperator() needs. Local to the operator solver until
// it is unified with src/shells/shells.ts. Reconstruction [R] of Zhang, arXiv:2512.10427.

/** Per-time shell totals: E_s = sum_{i in s} a_i^2 and D_s = 2 sum_{i in s} lambda_i a_i^2 (§4). */
export function shellTotals(
  eigenvalues: Float64Array, modalErrors: Float64Array, shellOf: Int32Array, timeCount: number, n: number, shellCount: number,
): { shellEnergy: Float64Array; dissipation: Float64Array } {
  const shellEnergy = new Float64Array(timeCount * shellCount);
  const dissipation = new Float64Array(timeCount * shellCount);
  for (let k = 0; k < timeCount; k++) {
    for (let i = 0; i < n; i++) {
      const at = k * n + i;
      const energy = modalErrors[at] * modalErrors[at];
      const column = k * shellCount + shellOf[at];
      shellEnergy[column] += energy;
      dissipation[column] += 2 * eigenvalues[at] * energy;
    }
  }
  return { shellEnergy, dissipation };
}

/**
 * Fraction of the interval [t_k, t_k+1] at which a mode passes boundary `boundary` + 1/2 (column
 * indices): where its log-position x = log_B(lambda_ref / lambda) reaches the boundary, linear in
 * time; mid-interval when either end is in the null shell.
 */
function crossingFraction(
  positionBefore: number, positionAfter: number, boundary: number, firstShell: number, involvesNull: boolean,
): number {
  if (involvesNull) return 0.5;
  const target = firstShell + boundary + 1;
  return Math.min(1, Math.max(0, (target - positionBefore) / (positionAfter - positionBefore)));
}

/** Input of the interval balances: modal data on the recorded grid with tracked identities. */
export interface ModalHistory {
  times: Float64Array;
  eigenvalues: Float64Array;
  modalErrors: Float64Array;
  /** log_B(lambda_ref / lambda) per mode (Infinity in the null shell). */
  positions: Float64Array;
  /** Shell column per mode. */
  shellOf: Int32Array;
  identities: Int32Array;
  n: number;
  shellCount: number;
  firstShell: number;
  /** Column of the null shell, or -1. */
  nullColumn: number;
}

/**
 * Visits each tracked mode over each interval: `visit(k, from, to, before, after, fractions)` with
 * the flat indices of the mode at t_k and t_k+1 and the crossing fraction of every boundary passed,
 * in the order passed.
 */
function forEachModeInterval(
  history: ModalHistory,
  visit: (k: number, from: number, to: number, before: number, after: number, boundaries: number[], fractions: number[]) => void,
): void {
  const { times, positions, shellOf, identities, n, firstShell, nullColumn } = history;
  const positionOfIdentity = new Int32Array(n);
  for (let k = 0; k + 1 < times.length; k++) {
    for (let i = 0; i < n; i++) positionOfIdentity[identities[(k + 1) * n + i]] = i;
    for (let i = 0; i < n; i++) {
      const before = k * n + i;
      const after = (k + 1) * n + positionOfIdentity[identities[before]];
      const from = shellOf[before];
      const to = shellOf[after];
      const boundaries: number[] = [];
      const fractions: number[] = [];
      if (from !== to) {
        const involvesNull = from === nullColumn || to === nullColumn;
        if (to > from) for (let b = from; b < to; b++) boundaries.push(b);
        else for (let b = from - 1; b >= to; b--) boundaries.push(b);
        for (const b of boundaries) fractions.push(crossingFraction(positions[before], positions[after], b, firstShell, involvesNull));
      }
      visit(k, from, to, before, after, boundaries, fractions);
    }
  }
}

/**
 * Boundary fluxes per interval [t_k, t_k+1] from the integrated balance (§9(i).2-.3): net
 * transfer T_s = (E_s(t_k+1) - E_s(t_k))/dt + (1/dt) int D_s dt and J_{s+1/2} = -sum_{s' <= s} T_s',
 * the mean rate from the shells <= s to the shells > s. The dissipation integral is the trapezoid
 * rule per tracked mode, split at the mode's boundary crossings so that each part is counted in
 * the shell the mode is in (a plain trapezoid of D_s would book a crossing mode's dissipation half
 * in the wrong shell). Entry (k, s) is J_{s+1/2} over interval k; the last column,
 * J_{bottom+1/2}, is the closure residual.
 */
export function integratedBoundaryFlux(history: ModalHistory, shellEnergy: Float64Array): Float64Array {
  const { times, eigenvalues, modalErrors, shellCount } = history;
  const intervals = Math.max(0, times.length - 1);
  const dissipated = new Float64Array(intervals * shellCount);
  forEachModeInterval(history, (k, from, to, before, after, boundaries, fractions) => {
    const step = times[k + 1] - times[k];
    const rate0 = 2 * eigenvalues[before] * modalErrors[before] ** 2;
    const rate1 = 2 * eigenvalues[after] * modalErrors[after] ** 2;
    const rateAt = (f: number) => (1 - f) * rate0 + f * rate1;
    let start = 0;
    let shell = from;
    for (let c = 0; c < boundaries.length; c++) {
      const end = fractions[c];
      dissipated[k * shellCount + shell] += step * (end - start) * 0.5 * (rateAt(start) + rateAt(end));
      shell = to > from ? boundaries[c] + 1 : boundaries[c];
      start = end;
    }
    dissipated[k * shellCount + to] += step * (1 - start) * 0.5 * (rateAt(start) + rate1);
  });
  const flux = new Float64Array(intervals * shellCount);
  for (let k = 0; k < intervals; k++) {
    const step = times[k + 1] - times[k];
    let cumulative = 0;
    for (let s = 0; s < shellCount; s++) {
      cumulative += (shellEnergy[(k + 1) * shellCount + s] - shellEnergy[k * shellCount + s] + dissipated[k * shellCount + s]) / step;
      flux[k * shellCount + s] = -cumulative;
    }
  }
  return flux;
}

/**
 * Crossing part of the boundary fluxes (§4 "boundary crossings", §9(i).4): a tracked mode whose
 * shell changed between t_k and t_k+1 carries a_i^2, interpolated to the crossing time, across
 * every boundary it passed (downwards counts positive, as J). The crossing time of boundary
 * s + 1/2 is where the log-position x = log_B(lambda_ref / lambda) passes s + 1, interpolated
 * linearly in time; a_i^2 is interpolated geometrically (exact for constant-rate decay), or
 * linearly when an end value is 0. Modes in or out of the null shell cross at mid-interval.
 */
export function crossingBoundaryFlux(history: ModalHistory): Float64Array {
  const { times, modalErrors, shellCount } = history;
  const flux = new Float64Array(Math.max(0, times.length - 1) * shellCount);
  forEachModeInterval(history, (k, from, to, before, after, boundaries, fractions) => {
    if (from === to) return;
    const step = times[k + 1] - times[k];
    const energyBefore = modalErrors[before] ** 2;
    const energyAfter = modalErrors[after] ** 2;
    const direction = to > from ? 1 : -1;
    boundaries.forEach((boundary, c) => {
      const fraction = fractions[c];
      const energy = energyBefore > 0 && energyAfter > 0
        ? energyBefore ** (1 - fraction) * energyAfter ** fraction
        : (1 - fraction) * energyBefore + fraction * energyAfter;
      flux[k * shellCount + boundary] += direction * energy / step;
    });
  });
  return flux;
}
