// Time filters and the four parts of the test and training loss of one data set (spec
// dmft-random-features.md §4 steps 4-5 for gradient flow, §9 for gradient descent), written in
// package units: H = G/P + weightDecay, time t_m, temperature T_m, loss without the factor 1/2.
import type { SeedSpectrum } from './exact-data.js';

/** The three filters of an eigenvalue h of H at one time (spec §4 step 4 and §9). */
export interface Filter {
  /** e: e^(-h t) (flow) or (1 - eta h)^n (descent). */
  decay: number;
  /** g: (1 - e)/h, the label-noise / shrinkage filter (limit t, resp. n eta, at h = 0). */
  integral: number;
  /** g2: (1 - e^2)/h (flow) or (1 - e^2)/(h (1 - eta h/2)) (descent); limit 2t. */
  thermal: number;
}

/**
 * Filters of h >= 0 at time `time` (flow: t_m; descent: step n, Infinity allowed), with expm1 so
 * that small h t keeps full relative accuracy (spec §10 pitfalls: (1 - e^(-ht))/h -> t).
 */
export function filter(h: number, time: number, learningRate: number | undefined, out: Filter): Filter {
  if (learningRate === undefined) {
    if (h === 0) {
      out.decay = 1;
      out.integral = time;
      out.thermal = 2 * time;
    } else if (time === Infinity) {
      out.decay = 0;
      out.integral = 1 / h;
      out.thermal = 1 / h;
    } else {
      out.decay = Math.exp(-h * time);
      out.integral = -Math.expm1(-h * time) / h;
      out.thermal = -Math.expm1(-2 * h * time) / h;
    }
    return out;
  }
  const eta = learningRate;
  if (h === 0) {
    out.decay = 1;
    out.integral = time * eta;
    out.thermal = 2 * time * eta;
    return out;
  }
  const rho = 1 - eta * h;
  let power: number; // rho^n
  let complement: number; // 1 - rho^n
  let complement2: number; // 1 - rho^(2n)
  if (time === Infinity) {
    power = 0;
    complement = 1;
    complement2 = 1;
  } else if (rho > 0) {
    const logRho = Math.log1p(-eta * h);
    power = Math.exp(time * logRho);
    complement = -Math.expm1(time * logRho);
    complement2 = -Math.expm1(2 * time * logRho);
  } else {
    power = rho ** time;
    complement = 1 - power;
    complement2 = 1 - power * power;
  }
  out.decay = power;
  out.integral = complement / h;
  out.thermal = complement2 / (h * (1 - eta * h / 2));
  return out;
}

/** Physical parameters of one evaluation, package units. */
export interface TermParameters {
  dataSize: number;
  weightDecay: number;
  temperature: number;
  /** Label noise seen in training: labelNoise + target power outside the model's span. */
  trainingNoise: number;
  initVariance: number;
  learningRate: number | undefined;
}

/** The parts of one data set's losses at one time (package units, teacher averaged over signs). */
export interface SeedTerms {
  teacher: number;
  labelNoise: number;
  thermal: number;
  initialisation: number;
  trainLoss: number;
}

/**
 * Evaluates the four parts of L = 2 E_test and the training MSE 2 E_train of spec §4 step 5 at
 * one time. `scratch` (length r) receives F_i = e_i + weightDecay g_i, the bias filter on the
 * range; the returned `nullFilter` is F on the null space of G (h = weightDecay).
 */
export function seedTerms(spectrum: SeedSpectrum, parameters: TermParameters, time: number, scratch: Float64Array, out: SeedTerms): number {
  const { rank: r, covariance, lambdaDiagonal, teacherDiagonal, coupling, nullCross } = spectrum;
  const { dataSize: P, weightDecay, temperature, trainingNoise, initVariance, learningRate } = parameters;
  const f: Filter = { decay: 0, integral: 0, thermal: 0 };
  let init = 0;
  let label = 0;
  let thermal = 0;
  let trainTeacher = 0;
  let trainInit = 0;
  let trainThermal = 0;
  let trainLabel = 0;
  for (let i = 0; i < r; i++) {
    const q = covariance[i];
    filter(q + weightDecay, time, learningRate, f);
    const bias = f.decay + (weightDecay > 0 ? weightDecay * f.integral : 0);
    scratch[i] = bias;
    const a = lambdaDiagonal[i];
    const qg = q === 0 ? 0 : q * f.integral;
    init += a * f.decay * f.decay;
    label += a * qg * (q === 0 ? 0 : f.integral);
    if (temperature > 0) {
      thermal += a * f.thermal;
      if (q > 0) trainThermal += q * f.thermal;
    }
    trainTeacher += q * bias * bias * teacherDiagonal[i];
    trainInit += q * f.decay * f.decay;
    trainLabel += (qg - 1) ** 2;
  }
  trainLabel += P - r; // zero eigenvalues of Psi Psi^T / P (N < P): the residual keeps the noise

  let teacher = 0;
  for (let i = 0; i < r; i++) {
    let row = 0;
    for (let j = 0; j < r; j++) row += coupling[i * r + j] * scratch[j];
    teacher += scratch[i] * row;
  }
  let nullFilter = 0;
  if (spectrum.nullLambda > 0 || spectrum.nullTeacher > 0) {
    filter(weightDecay, time, learningRate, f);
    nullFilter = f.decay + (weightDecay > 0 ? weightDecay * f.integral : 0);
    let cross = 0;
    for (let i = 0; i < r; i++) cross += scratch[i] * nullCross[i];
    teacher += 2 * nullFilter * cross + nullFilter * nullFilter * spectrum.nullTeacher;
    init += spectrum.nullLambda * f.decay * f.decay;
    if (temperature > 0) thermal += spectrum.nullLambda * f.thermal;
  }
  out.teacher = teacher;
  out.initialisation = initVariance > 0 ? initVariance * init : 0;
  out.labelNoise = trainingNoise > 0 ? trainingNoise / P * label : 0;
  out.thermal = temperature > 0 ? temperature * thermal : 0;
  out.trainLoss = trainTeacher
    + (initVariance > 0 ? initVariance * trainInit : 0)
    + (trainingNoise > 0 ? trainingNoise / P * trainLabel : 0)
    + (temperature > 0 ? temperature * trainThermal : 0);
  return nullFilter;
}
