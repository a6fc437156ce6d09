// Task difficulty (Bordelon, Atanasov & Pehlevan 2025; CONVENTIONS.md, "Spectrum and task"):
// hard beta < 1, easy 1 < beta < 2 - 1/alpha, super-easy beta > 2 - 1/alpha; on a boundary
// (within 1e-12) the easier class is returned and onBoundary is set.
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngines, lazy, taskDifficulty } from '../helpers.js';

beforeAll(initEngines);

const ALPHAS = [1.001, 1.25, 1.5, 2, 3, 10, 64];

describe('taskDifficulty', () => {
  it('the documented example', () => {
    expect(taskDifficulty({ alpha: 1.5, beta: 0.5 }).difficulty).toBe('hard');
  });

  it('reports both boundaries: 1 and 2 - 1/alpha', () => {
    for (const alpha of ALPHAS) {
      const classification = taskDifficulty({ alpha, beta: 0.5 });
      expect(classification.hardBoundary).toBe(1);
      expect(classification.superEasyBoundary).toBe(2 - 1 / alpha);
    }
    expect(taskDifficulty({ alpha: 2, beta: 1 }).superEasyBoundary).toBe(1.5);
  });

  it('hard below beta = 1, easy between the boundaries, super-easy above 2 - 1/alpha', () => {
    for (const alpha of ALPHAS) {
      const upper = 2 - 1 / alpha;
      for (const beta of [1e-6, 0.1, 0.5, 1 - 1e-9]) {
        expect(taskDifficulty({ alpha, beta }), `alpha ${alpha} beta ${beta}`).toMatchObject({ difficulty: 'hard', onBoundary: false });
      }
      for (const beta of [1 + 1e-9, (1 + upper) / 2, upper - 1e-9]) {
        if (!(beta > 1 && beta < upper)) continue;
        expect(taskDifficulty({ alpha, beta }), `alpha ${alpha} beta ${beta}`).toMatchObject({ difficulty: 'easy', onBoundary: false });
      }
      for (const beta of [upper + 1e-9, upper + 0.5, 5, 64]) {
        expect(taskDifficulty({ alpha, beta }), `alpha ${alpha} beta ${beta}`).toMatchObject({ difficulty: 'super-easy', onBoundary: false });
      }
    }
  });

  it('on beta = 1 the task is easy (the easier side), flagged onBoundary', () => {
    for (const alpha of ALPHAS) {
      expect(taskDifficulty({ alpha, beta: 1 }), `alpha ${alpha}`).toMatchObject({ difficulty: 'easy', onBoundary: true });
      // within 1e-12 counts as on the boundary
      expect(taskDifficulty({ alpha, beta: 1 - 1e-13 })).toMatchObject({ difficulty: 'easy', onBoundary: true });
      expect(taskDifficulty({ alpha, beta: 1 + 1e-13 })).toMatchObject({ difficulty: 'easy', onBoundary: true });
    }
  });

  it('on beta = 2 - 1/alpha the task is super-easy (the easier side), flagged onBoundary', () => {
    for (const alpha of ALPHAS) {
      const upper = 2 - 1 / alpha;
      expect(taskDifficulty({ alpha, beta: upper }), `alpha ${alpha}`).toMatchObject({ difficulty: 'super-easy', onBoundary: true });
      expect(taskDifficulty({ alpha, beta: upper - 1e-13 })).toMatchObject({ difficulty: 'super-easy', onBoundary: true });
    }
    // alpha = 2: boundaries at 1 and 1.5
    expect(taskDifficulty({ alpha: 2, beta: 1.5 })).toMatchObject({ difficulty: 'super-easy', onBoundary: true });
    expect(taskDifficulty({ alpha: 2, beta: 1.4999 }).difficulty).toBe('easy');
    expect(taskDifficulty({ alpha: 2, beta: 1.5001 }).difficulty).toBe('super-easy');
  });

  it('when the two boundaries meet (alpha -> 1) nothing is easy: beta = 1 is super-easy', () => {
    const alpha = 1 + 1e-14;
    expect(taskDifficulty({ alpha, beta: 0.999 }).difficulty).toBe('hard');
    expect(taskDifficulty({ alpha, beta: 1 })).toMatchObject({ difficulty: 'super-easy', onBoundary: true });
    expect(taskDifficulty({ alpha, beta: 1.001 }).difficulty).toBe('super-easy');
  });

  it('lazy() reports the class of power-law tasks with alpha > 1 in meta.theory', () => {
    for (const [beta, difficulty] of [[0.5, 'hard'], [1.2, 'easy'], [1.8, 'super-easy']] as const) {
      const result = lazy({ alpha: 2, beta, modes: Infinity, times: [1, 10] });
      expect(result.meta.theory).toEqual({ lazyExponent: beta, taskDifficulty: difficulty });
    }
    // no class for alpha <= 1 (finite modes) or for custom spectra
    expect(lazy({ alpha: 0.8, beta: 0.5, modes: 100, times: [1] }).meta.theory).toBeUndefined();
    expect(lazy({ eigenvalues: [1, 0.5], targetPower: [1, 1], times: [1] }).meta.theory).toBeUndefined();
  });
});
