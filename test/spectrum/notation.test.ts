// Converters between the package's (alpha, beta) and each paper's symbols: the table of
// CONVENTIONS.md ("Conversions to each paper's symbols") and round trips in both directions.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fitPowerLaw, fromBordelon2024, fromKramp2026, fromPaquette2024, initEngines, lazy, taskDifficulty, toBordelon2024, toKramp2026,
  toPaquette2024,
} from '../helpers.js';

beforeAll(initEngines);

const ALPHAS = [1.01, 1.25, 1.5, 2, 3.7, 10, 64];
const BETAS = [1e-3, 0.1, 0.25, 0.5, 0.99, 1, 1.2, 1.5, 1.9, 2.5, 10];
const PAIRS = ALPHAS.flatMap((alpha) => BETAS.map((beta) => ({ alpha, beta })));
const close = (a: number, b: number, tolerance = 1e-13) => Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(b));

describe('the CONVENTIONS.md table', () => {
  it('Bordelon-Atanasov-Pehlevan 2024: b = alpha, a = alpha beta + 1, lazy exponent (a - 1)/b, hard iff a - 1 < b', () => {
    for (const { alpha, beta } of PAIRS) {
      const { a, b } = toBordelon2024({ alpha, beta });
      expect(b).toBe(alpha);
      expect(close(a, alpha * beta + 1)).toBe(true);
      expect(close((a - 1) / b, beta, 1e-12)).toBe(true);
      if (Math.abs(beta - 1) > 1e-9) expect(a - 1 < b).toBe(taskDifficulty({ alpha, beta }).difficulty === 'hard');
    }
  });

  it('Paquette et al. 2024: 2 alpha_P = alpha, 2 alpha_P + 2 beta_P = alpha beta + 1, lazy exponent (2aP + 2bP - 1)/(2aP), hard iff 2 beta_P < 1', () => {
    for (const { alpha, beta } of PAIRS) {
      const { alphaP, betaP } = toPaquette2024({ alpha, beta });
      expect(2 * alphaP).toBe(alpha);
      expect(close(2 * alphaP + 2 * betaP, alpha * beta + 1, 1e-12)).toBe(true);
      expect(close((2 * alphaP + 2 * betaP - 1) / (2 * alphaP), beta, 1e-12)).toBe(true);
      if (Math.abs(beta - 1) > 1e-9) expect(2 * betaP < 1).toBe(taskDifficulty({ alpha, beta }).difficulty === 'hard');
    }
  });

  it('Kramp-Lindner-Helias 2026 (teacher from prior): 1 + alpha_K = alpha, target decay a_t = b so beta = 1 - 1/alpha, lazy exponent alpha_K/(1 + alpha_K)', () => {
    for (const alphaK of [1e-3, 0.01, 0.5, 1, 2, 7.5, 63]) {
      const { alpha, beta } = fromKramp2026({ alphaK });
      expect(close(alpha, 1 + alphaK)).toBe(true);
      expect(close(beta, alphaK / (1 + alphaK))).toBe(true);
      expect(close(beta, 1 - 1 / alpha, 1e-12)).toBe(true);
      // target power decays like the eigenvalues: alpha beta + 1 = alpha
      expect(close(alpha * beta + 1, alpha, 1e-12)).toBe(true);
      expect(toKramp2026({ alpha, beta })).toEqual({ alphaK: alpha - 1, teacherFromPrior: true });
    }
    // any other teacher is not from the prior
    expect(toKramp2026({ alpha: 2, beta: 0.7 })).toEqual({ alphaK: 1, teacherFromPrior: false });
    // a teacher from the prior is always a hard task (beta = 1 - 1/alpha < 1)
    expect(taskDifficulty(fromKramp2026({ alphaK: 5 })).difficulty).toBe('hard');
  });

  it('the documented examples', () => {
    expect(fromBordelon2024({ a: 1.75, b: 1.5 })).toEqual({ alpha: 1.5, beta: 0.5 });
    expect(fromPaquette2024({ alphaP: 0.75, betaP: 0.125 })).toEqual({ alpha: 1.5, beta: 0.5 });
    expect(fromKramp2026({ alphaK: 1 })).toEqual({ alpha: 2, beta: 0.5 });
    expect(toBordelon2024({ alpha: 1.5, beta: 0.5 })).toEqual({ a: 1.75, b: 1.5 });
    expect(toPaquette2024({ alpha: 1.5, beta: 0.5 })).toEqual({ alphaP: 0.75, betaP: 0.125 });
    expect(toKramp2026({ alpha: 2, beta: 0.5 })).toEqual({ alphaK: 1, teacherFromPrior: true });
  });
});

describe('round trips', () => {
  it('package -> paper -> package is the identity', () => {
    for (const exponents of PAIRS) {
      for (const [label, back] of [
        ['Bordelon', fromBordelon2024(toBordelon2024(exponents))],
        ['Paquette', fromPaquette2024(toPaquette2024(exponents))],
      ] as const) {
        expect(close(back.alpha, exponents.alpha), `${label} ${JSON.stringify(exponents)}`).toBe(true);
        expect(close(back.beta, exponents.beta, 1e-12), `${label} ${JSON.stringify(exponents)}`).toBe(true);
      }
    }
    for (const alpha of ALPHAS) {
      const exponents = { alpha, beta: 1 - 1 / alpha };
      const { alphaK } = toKramp2026(exponents);
      const back = fromKramp2026({ alphaK });
      expect(close(back.alpha, alpha)).toBe(true);
      expect(close(back.beta, exponents.beta, 1e-12)).toBe(true);
    }
  });

  it('paper -> package -> paper is the identity', () => {
    for (const a of [1.001, 1.5, 2, 3.3, 20]) {
      for (const b of [1.001, 1.5, 2, 7]) {
        const back = toBordelon2024(fromBordelon2024({ a, b }));
        expect(close(back.a, a) && close(back.b, b), `a ${a} b ${b}`).toBe(true);
      }
    }
    for (const alphaP of [0.51, 0.75, 1, 4, 30]) {
      // beta_P ranges over (1/2 - alpha_P, ...): negative values are allowed
      for (const betaP of [0.5 - alphaP + 1e-3, -0.1, 0, 0.125, 0.49, 0.5, 2]) {
        if (!(betaP > (1 - 2 * alphaP) / 2)) continue;
        const back = toPaquette2024(fromPaquette2024({ alphaP, betaP }));
        expect(close(back.alphaP, alphaP), `alphaP ${alphaP} betaP ${betaP}`).toBe(true);
        expect(Math.abs(back.betaP - betaP) < 1e-12 * Math.max(1, Math.abs(betaP)), `alphaP ${alphaP} betaP ${betaP}`).toBe(true);
      }
    }
    for (const alphaK of [0.01, 0.5, 1, 3, 50]) {
      expect(close(toKramp2026(fromKramp2026({ alphaK })).alphaK, alphaK, 1e-12)).toBe(true);
    }
  });

  it('the three notations of one task agree with each other', () => {
    const fromB = fromBordelon2024({ a: 2, b: 2 });
    const fromP = fromPaquette2024({ alphaP: 1, betaP: 0 });
    const fromK = fromKramp2026({ alphaK: 1 });
    expect(fromB).toEqual({ alpha: 2, beta: 0.5 });
    expect(fromP).toEqual(fromB);
    expect(fromK).toEqual(fromB);
  });
});

describe('the converted exponent is the decay of the loss', () => {
  it("gradient flow from Paquette's (alpha_P, beta_P) decays as t^-(2aP + 2bP - 1)/(2aP)", () => {
    const alphaP = 1.25;
    const betaP = 0.3;
    const { alpha, beta } = fromPaquette2024({ alphaP, betaP });
    const result = lazy({ alpha, beta, modes: Infinity, times: { from: 1e4, to: 1e7, count: 31 } });
    expect(fitPowerLaw(result.times, result.loss).exponent).toBeCloseTo((2 * alphaP + 2 * betaP - 1) / (2 * alphaP), 3);
    expect(result.meta.theory?.lazyExponent).toBeCloseTo(beta, 14);
  });
});
