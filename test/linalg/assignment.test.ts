// Maximum-weight assignment (src/linalg/assignment.ts) against brute force over all permutations
// on small random matrices, with ties and negative weights, and on a large permuted identity.
import { describe, expect, it } from 'vitest';
import { maximumWeightAssignment } from '../../src/linalg/assignment.js';
import { Random } from '../helpers.js';

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const result: number[][] = [];
  for (const rest of permutations(n - 1)) {
    for (let position = 0; position <= rest.length; position++) result.push([...rest.slice(0, position), n - 1, ...rest.slice(position)]);
  }
  return result;
}

function total(weights: Float64Array, n: number, assignment: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += weights[i * n + assignment[i]];
  return sum;
}

describe('maximumWeightAssignment', () => {
  it('equals brute force over all permutations for n = 1..7 (random, integer ties, negative)', () => {
    const random = new Random(23);
    for (let n = 1; n <= 7; n++) {
      const all = permutations(n);
      for (let trial = 0; trial < 40; trial++) {
        const kind = trial % 3;
        const weights = Float64Array.from({ length: n * n }, () =>
          kind === 0 ? random.uniform() : kind === 1 ? Math.floor(random.uniform() * 3) : random.normal() * 5);
        const assignment = maximumWeightAssignment(weights, n);
        expect(Array.from(assignment).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        const best = Math.max(...all.map((permutation) => total(weights, n, permutation)));
        expect(total(weights, n, assignment)).toBeCloseTo(best, 12);
      }
    }
  });

  it('recovers a hidden permutation of squared overlaps at n = 300', () => {
    const random = new Random(4);
    const n = 300;
    const hidden = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random.uniform() * (i + 1));
      [hidden[i], hidden[j]] = [hidden[j], hidden[i]];
    }
    const weights = Float64Array.from({ length: n * n }, () => 0.3 * random.uniform());
    for (let i = 0; i < n; i++) weights[i * n + hidden[i]] = 0.4 + 0.1 * random.uniform();
    expect(Array.from(maximumWeightAssignment(weights, n))).toEqual(hidden);
  });
});
