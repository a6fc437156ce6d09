// doubleDescent(): the t -> infinity loss of the DMFT against the model size N (at fixed teacher
// and data size P) or against the weight decay, with its bias-variance parts (spec
// dmft-random-features.md §7(b): static limit, "N < P and gamma -> 0" divergences at N = P).
import { CONTROL_KEYS, Monitor, now, type RunControl } from '../control.js';
import { ParameterError } from '../errors.js';
import { attachSerialisers } from '../result.js';
import { checkArray, checkOptions } from '../validate.js';
import { dmftEquilibrium } from './equilibrium.js';
import type { DmftOptions } from './solver.js';

/** Options of doubleDescent(): dmftEquilibrium()'s options plus exactly one sweep. */
export interface DoubleDescentOptions extends Omit<DmftOptions, 'times' | 'earlyStopping' | 'learningRate' | 'talbotNodes' | 'engine' | 'modelSize' | 'weightDecay'>, RunControl {
  /** Model sizes N to sweep (integers >= 1, at most the number of modes); the teacher keeps all `modes`. */
  modelSizes?: ArrayLike<number>;
  /** Model size when sweeping weightDecays (default: all modes). */
  modelSize?: number;
  /** Weight decays (package units, >= 0) to sweep. */
  weightDecays?: ArrayLike<number>;
  /** Weight decay when sweeping modelSizes (default 0: the ridgeless limit, divergent at N = P). */
  weightDecay?: number;
}

/** Result of doubleDescent(): one entry per swept value. */
export interface DoubleDescentResult {
  /** Which option was swept. */
  sweep: 'modelSize' | 'weightDecay';
  /** The swept values (model sizes or weight decays). */
  values: Float64Array;
  /** N/P at each point. */
  ratio: Float64Array;
  /** t -> infinity test loss (Infinity at N = P without weight decay, or where the thermal variance grows without bound). */
  loss: Float64Array;
  /** Ridge (posterior-mean) error: bias + data + label-noise variance. */
  ridgeLoss: Float64Array;
  bias: Float64Array;
  variance: Float64Array;
  varianceParts: { data: Float64Array; labelNoise: Float64Array; thermal: Float64Array; initialisation: Float64Array };
  /** Static kappa_0 and gamma_2 (spec §7(b)). */
  kappa: Float64Array;
  gamma2: Float64Array;
  meta: {
    solver: 'doubleDescent';
    conventions: string;
    /** Plain TypeScript: one real bisection for kappa_0 per point. */
    engine: 'js';
    elapsedMs: number;
    parameters: Record<string, unknown>;
    reconstruction: string;
  };
}

const KEYS = ['alpha', 'beta', 'modes', 'leadingEigenvalue', 'targetScale', 'eigenvalues', 'targetPower', 'dataSize',
  'modelSize', 'modelSizes', 'weightDecay', 'weightDecays', 'temperature', 'labelNoise', 'initVariance', 'includeNoise', ...CONTROL_KEYS] as const;
/** Most points of one sweep. */
const MAX_POINTS = 100_000;

/**
 * The t -> infinity loss of the DMFT along a sweep of the model size N at fixed teacher and data
 * size P ("model-wise double descent") or of the weight decay, each point from the static kappa_0
 * of dmftEquilibrium() (spec §7(b) [S][R][V]).
 *
 * In package units, with gamma_2 = (1/P) sum lambda^2/(lambda + kappa_0)^2: label-noise variance
 * labelNoise gamma_2/(1 - gamma_2) and data variance bias gamma_2/(1 - gamma_2) (the 1/(1 - gamma_2)
 * amplification), thermal part P temperature (kappa_0/weightDecay - 1). Without weight decay and
 * N < P, kappa_0 = 0 and gamma_2 = N/P, so the noise variance is labelNoise N/(P - N) and the
 * thermal part P temperature N/(P - N) (spec: (1/2) sigma^2 N/(P-N) and (T/2) N/(P-N) in its units,
 * the inverse-Wishart mean); both diverge as N -> P from below (check D18). For N > P without
 * weight decay the thermal part is infinite (the null space diffuses, spec §7(c)).
 *
 * The teacher is the whole spectrum (`modes`, or the custom arrays); a model of size N spans its
 * N leading modes and the remaining target power acts as label noise in training and a floor in
 * the test loss (spec §2).
 *
 * @example
 * const r = doubleDescent({ alpha: 1.5, beta: 0.5, modes: 2000, dataSize: 200, labelNoise: 0.1, modelSizes: [50, 100, 190, 210, 400, 1000] });
 * // r.loss peaks at N = P; r.varianceParts.labelNoise[0] = (0.1 + target power of modes 51..2000) * 50 / 150
 */
export function doubleDescent(options: DoubleDescentOptions): DoubleDescentResult {
  const started = now();
  const given = checkOptions('doubleDescent', options, KEYS) as unknown as DoubleDescentOptions;
  if ((given.modelSizes === undefined) === (given.weightDecays === undefined)) {
    throw new ParameterError(given.modelSizes === undefined ? 'modelSizes' : 'weightDecays', given.modelSizes ?? given.weightDecays,
      'exactly one of modelSizes and weightDecays');
  }
  const sweep = given.modelSizes !== undefined ? 'modelSize' : 'weightDecay';
  if (sweep === 'modelSize' && given.modelSize !== undefined) {
    throw new ParameterError('modelSize', given.modelSize, 'absent when modelSizes is swept');
  }
  if (sweep === 'weightDecay' && given.weightDecay !== undefined) {
    throw new ParameterError('weightDecay', given.weightDecay, 'absent when weightDecays is swept');
  }
  const values = sweep === 'modelSize'
    ? checkArray('modelSizes', given.modelSizes, { minimum: 1, integer: true, allowInfinity: true }, { maximumLength: MAX_POINTS })
    : checkArray('weightDecays', given.weightDecays, { minimum: 0 }, { maximumLength: MAX_POINTS });
  const { modelSizes: _m, weightDecays: _w, signal, onProgress, timeLimit, ...base } = given;
  const monitor = new Monitor({ signal, onProgress, timeLimit }, values.length);
  const count = values.length;
  const out = {
    loss: new Float64Array(count), ridgeLoss: new Float64Array(count), bias: new Float64Array(count), variance: new Float64Array(count),
    data: new Float64Array(count), labelNoise: new Float64Array(count), thermal: new Float64Array(count), initialisation: new Float64Array(count),
    kappa: new Float64Array(count), gamma2: new Float64Array(count), ratio: new Float64Array(count),
  };
  for (let j = 0; j < count; j++) {
    const point: DmftOptions = sweep === 'modelSize' ? { ...base, modelSize: values[j] } : { ...base, weightDecay: values[j] };
    let equilibrium;
    try {
      equilibrium = dmftEquilibrium(point);
    } catch (error) {
      // name the swept array, not the single option, when one entry is out of range
      if (error instanceof ParameterError && (error.parameter === 'modelSize' || error.parameter === 'weightDecay')) {
        const name = sweep === 'modelSize' ? 'modelSizes' : 'weightDecays';
        throw new ParameterError(name, given[name], `an array of valid ${error.parameter} values`, `entry ${j}: ${error.message}`);
      }
      throw error;
    }
    const modelSize = sweep === 'modelSize' ? values[j] : (base.modelSize ?? modeCount(base));
    out.ratio[j] = modelSize / base.dataSize;
    out.loss[j] = equilibrium.loss;
    out.ridgeLoss[j] = equilibrium.ridgeLoss;
    out.bias[j] = equilibrium.bias;
    out.variance[j] = equilibrium.variance;
    out.data[j] = equilibrium.varianceParts.data;
    out.labelNoise[j] = equilibrium.varianceParts.labelNoise;
    out.thermal[j] = equilibrium.varianceParts.thermal;
    out.initialisation[j] = equilibrium.varianceParts.initialisation;
    out.kappa[j] = equilibrium.kappa;
    out.gamma2[j] = equilibrium.gamma2;
    monitor.step(j + 1);
  }
  const result: DoubleDescentResult = {
    sweep, values, ratio: out.ratio, loss: out.loss, ridgeLoss: out.ridgeLoss, bias: out.bias, variance: out.variance,
    varianceParts: { data: out.data, labelNoise: out.labelNoise, thermal: out.thermal, initialisation: out.initialisation },
    kappa: out.kappa, gamma2: out.gamma2,
    meta: {
      solver: 'doubleDescent',
      engine: 'js',
      conventions: 'CONVENTIONS.md: L = sum_k lambda_k E[v_k^2] (MSE without 1/2), t -> infinity; excess loss unless includeNoise',
      elapsedMs: now() - started,
      parameters: { ...base, sweep },
      reconstruction: 'spec §7(b): KRR error [S], posterior variance [R][V], N < P divergences [R][S]',
    },
  };
  return attachSerialisers(result);
}

/** Number of modes of the spectrum options (power law: modes, default 1000; custom: array length). */
function modeCount(options: { modes?: number; eigenvalues?: ArrayLike<number> }): number {
  return options.eigenvalues !== undefined ? options.eigenvalues.length : (options.modes ?? 1000);
}
