// Spectral shells of the lazy dynamics (spec spectral-shells.md §6, §7 lazy limit): runs lazy()'s
// mode dynamics and streams the per-node energies, one time at a time, into the coarse-graining
// (src/shells/coarse-grain.ts). Power laws with many or infinite modes use src/spectrum/modes.ts
// with quadrature panels cut at the shell boundaries, so every shell gets an accurate sum.
import type { Spectrum } from '../spectrum/spectrum.js';
import { modeSet, type ModeSet } from '../spectrum/modes.js';
import { modalEnergies } from '../lazy/closed-form.js';
import type { LazyResult } from '../lazy/lazy.js';
import type { RowSource } from './coarse-grain.js';
import { shellIndex } from './labels.js';

/** Below this value of lambda * horizon, modeSet lumps modes into its tail node (src/spectrum/modes.ts FROZEN). */
const FROZEN = 1e-7;

/**
 * Mode positions k where the power law's eigenvalues cross shell boundaries lambda_ref B^-s,
 * moved to the midpoint between modes (floor(k) + 1/2): the quadrature integrates mode k over
 * [k - 1/2, k + 1/2] (midpoint rule), so a panel ending there splits the modes exactly as the
 * shell labels do. Covers the shells down to the frozen tail.
 */
export function shellBreakpoints(spectrum: Spectrum & { kind: 'power-law' }, horizon: number, base: number, reference: number): number[] {
  const { alpha, leadingEigenvalue } = spectrum;
  const smallest = FROZEN / Math.max(horizon, Number.MIN_VALUE) / base;
  const breakpoints: number[] = [];
  const first = Math.max(0, shellIndex(leadingEigenvalue, reference, base));
  for (let s = first; ; s++) {
    const boundary = reference * base ** -s;
    if (!(boundary >= smallest) || breakpoints.length > 1e5) break;
    const k = (leadingEigenvalue / boundary) ** (1 / alpha);
    if (!(k < 1e300)) break;
    breakpoints.push(k < 2 ** 52 ? Math.floor(k) + 0.5 : k);
  }
  return breakpoints;
}

/** The node set lazy() uses for `result`'s run, with panels cut at `breakpoints`. */
export function lazyModeSet(spectrum: Spectrum, result: LazyResult, breakpoints?: number[]): ModeSet {
  const parameters = result.meta.parameters as { optimizer: string; learningRate?: number };
  const last = result.times[result.times.length - 1] + (parameters.optimizer === 'sgd' ? 1 : 0);
  const horizon = last * (parameters.learningRate ?? 1);
  return modeSet(spectrum, horizon, breakpoints ? { breakpoints } : {});
}

/**
 * Rows of the lazy dynamics for the coarse-graining: per-node error energies p r(t)^2 computed
 * one time at a time (flow and gd: closed form), or read from a recorded run (sgd: lazy() with
 * recordModes). Times are in units of 1/eigenvalue (gd and sgd: t = eta * steps), so that the
 * dissipation D = 2 lambda a^2 is a rate per unit of that time. The reference row is t = 0.
 */
export function lazyRows(result: LazyResult, modes: ModeSet): RowSource {
  const parameters = result.meta.parameters as { optimizer: string; learningRate?: number; weightDecay: number };
  const eta = parameters.learningRate;
  const steps = result.times;
  const times = eta === undefined ? steps : steps.map((step) => step * eta);
  const count = modes.eigenvalues.length;
  const initial = { time: 0, energies: modes.targetPower };
  if (parameters.optimizer === 'sgd') {
    const errors = (result.modes as { errors: Float64Array }).errors;
    return {
      times, modeCount: count, eigenvalues: modes.eigenvalues, eigenvaluesPerTime: false, multiplicity: modes.multiplicity, initial,
      fill(from, to, out) { out.set(errors.subarray(from * count, to * count)); },
    };
  }
  return {
    times, modeCount: count, eigenvalues: modes.eigenvalues, eigenvaluesPerTime: false, multiplicity: modes.multiplicity, initial,
    fill(from, to, out) {
      for (let j = from; j < to; j++) {
        modalEnergies(modes, parameters.weightDecay, eta, steps[j], out.subarray((j - from) * count, (j - from + 1) * count));
      }
    },
  };
}
