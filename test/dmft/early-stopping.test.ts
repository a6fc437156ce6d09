// Check D16 of spec dmft-random-features.md §11: full-DMFT early stopping (teacher-student
// alpha_K = 1, i.e. alpha = 2, beta = 1/2; N = 2e4; T = 0.01; P = 250, 1000, 4000) against the exact
// finite-size solution of spec §4 averaged over data sets. The exact solution at N = 2e4 is too
// slow for CI, so it comes from the committed NumPy script scripts/fixtures/dmft_exact_reference.py
// (Gram form, independent code and generator; anchored to exactFiniteSize() in
// test/dmft/exact-reference.test.ts), output test/fixtures/dmft-exact-reference.json.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ouLimit } from '../../src/dmft/ou.js';
import { dmft, initEngines } from '../helpers.js';


interface Stop { time: number; loss: number; timeStandardError: number; lossStandardError: number }
interface Case {
  name: string;
  dataSize: number;
  package: { weightDecay: number; temperature: number; labelNoise: number; seeds: number; earlyStopping: Stop | null; values: { time: number; loss: number; lossStandardError: number }[] };
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/dmft-exact-reference.json', import.meta.url), 'utf8')) as { cases: Case[] };
const cases = fixture.cases.filter((c) => c.name === 'D16');
const relative = (a: number, b: number) => Math.abs(a / b - 1);

/** dmft() of one fixture case; search over [1e-2, 1e2] x the continuum OU t* = 25 (spec §10 step 6), package units. */
function solve(c: Case) {
  const P = c.dataSize;
  const options = { alpha: 2, beta: 0.5, modes: 20000, dataSize: P, weightDecay: c.package.weightDecay, temperature: c.package.temperature, labelNoise: c.package.labelNoise };
  return {
    stop: dmft({ ...options, times: [0.25 * P, 2500 * P], earlyStopping: true }).earlyStopping,
    probes: dmft({ ...options, times: c.package.values.map((v) => v.time) }),
  };
}

let solved: ReturnType<typeof solve>[];
beforeAll(async () => {
  await initEngines();
  solved = cases.map(solve);
});

describe('D16: full-DMFT early stopping vs exact simulation (N = 2e4, T = 0.01, 20 data sets)', () => {
  it.each(cases.map((c, i) => [c.dataSize, c, i] as const))('P = %i: t* within 3% and E* within 0.5%', (_P, c, i) => {
    const stop = solved[i].stop!;
    const exact = c.package.earlyStopping!;
    // spec tolerances (flat minimum: t* 3%); the seed averages' jackknife standard errors are far
    // smaller (t*: 0.16 / 0.06 / 0.02%, E*: 0.11 / 0.04 / 0.01% at P = 250 / 1000 / 4000; in the
    // fixture), so the comparison tests the DMFT itself. Measured DMFT - exact: t* +0.16 / -0.004 /
    // -0.02%, E* -0.27 / -0.02 / -0.02% at P = 250 / 1000 / 4000.
    expect(stop).not.toBeNull();
    expect(relative(stop.time, exact.time)).toBeLessThan(0.03);
    expect(relative(stop.loss, exact.loss)).toBeLessThan(0.005);
    expect(exact.timeStandardError / exact.time).toBeLessThan(0.005);
    expect(exact.lossStandardError / exact.loss).toBeLessThan(0.002);
  });

  it.each(cases.map((c, i) => [c.dataSize, c, i] as const))('P = %i: the loss curve from t = 0.1 to 1e5 (spec units) within 0.5%', (_P, c, i) => {
    // the spec's D3/D4 finite-size tolerance at the smaller sizes is 0.5-1.5%; here N = 2e4 and the
    // self-averaging is stronger; 0.5% at every probe t >= 0.1 (t = 0.01 is excluded as in D3).
    // Measured: at most 0.30% (P = 250), 0.14% (P = 1000), 0.08% (P = 4000).
    c.package.values.forEach((value, j) => {
      if (value.time / c.dataSize < 0.1) return;
      expect(relative(solved[i].probes.loss[j], value.loss)).toBeLessThan(0.005);
    });
  });

  it('DMFT t* lies below the OU t* (25.16 / 25.32 / 25.66) and rises towards the continuum 25 ... as P grows; DMFT E* lies above the OU E*', () => {
    const times = solved.map((s, i) => s.stop!.time / cases[i].dataSize);
    const ou = cases.map((c) => ouLimit({ alpha: 2, beta: 0.5, modes: 20000, dataSize: c.dataSize, temperature: c.package.temperature, times: [0.25 * c.dataSize, 2500 * c.dataSize] }).earlyStopping!);
    times.forEach((time, i) => {
      expect(time).toBeLessThan(ou[i].time / cases[i].dataSize);
      expect(solved[i].stop!.loss).toBeGreaterThan(ou[i].loss);
      if (i > 0) expect(time).toBeGreaterThan(times[i - 1]);
    });
  });
});
