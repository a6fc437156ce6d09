// The public surface of the shell diagnostics: ParameterError naming the parameter for every new
// option (spec spectral-shells.md §4, §9(i)), the three input forms of shells(), and the CLI
// `scaling-dynamics shells` (lazy options and --modal-file; JSON, CSV and the SVG heat-map).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coarseGrain, initEngines, lazy, maxRelativeError, ParameterError, shells } from '../helpers.js';

beforeAll(initEngines);

function parameterOf(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    if (error instanceof ParameterError) return error.parameter;
    throw error;
  }
  throw new Error('no error thrown');
}

const modal = () => ({
  times: new Float64Array([0, 1, 2]),
  eigenvalues: new Float64Array([1, 0.3]),
  energies: new Float64Array([1, 1, Math.exp(-2), Math.exp(-0.6), Math.exp(-4), Math.exp(-1.2)]),
  modeCount: 2,
  eigenvaluesPerTime: false,
});

describe('validation', () => {
  it('names the parameter of every invalid option', () => {
    const lazyForm = { alpha: 1.5, beta: 0.5, modes: 100, times: [0, 1] };
    expect(parameterOf(() => shells({ ...lazyForm, base: 1 }))).toBe('base');
    expect(parameterOf(() => shells({ ...lazyForm, base: NaN }))).toBe('base');
    expect(parameterOf(() => shells({ ...lazyForm, reference: 0 }))).toBe('reference');
    expect(parameterOf(() => shells({ ...lazyForm, reference: -1 }))).toBe('reference');
    expect(parameterOf(() => shells({ ...lazyForm, integration: 'simpson' as never }))).toBe('integration');
    expect(parameterOf(() => shells({ ...lazyForm, engine: 'gpu' as never }))).toBe('engine');
    expect(parameterOf(() => shells({ ...lazyForm, recordModes: true } as never))).toBe('recordModes');
    expect(parameterOf(() => shells({ ...lazyForm, bsae: 2 } as never))).toBe('bsae');
    expect(parameterOf(() => shells({ ...lazyForm, alpha: -1 }))).toBe('alpha');
    expect(parameterOf(() => shells(lazy({ alpha: 1.5, beta: 0.5, modes: 10, times: [0, 1] })))).toBe('modes');
    expect(parameterOf(() => shells({ times: [0, 1], eigenvalues: [1, 0.5], energies: [1, 1, 0.5] }))).toBe('energies');
    expect(parameterOf(() => shells({ times: [0, 1], eigenvalues: [1, 0.5, 2], energies: [1, 1, 0.5, 0.5] }))).toBe('eigenvalues');
    expect(parameterOf(() => shells({ times: [1, 0], eigenvalues: [1, 0.5], energies: [1, 1, 0.5, 0.5] }))).toBe('times');
    expect(parameterOf(() => shells({ times: [0, 1], eigenvalues: [1, 0], energies: [1, 1, 0.5, 0.5] }))).toBe('eigenvalues');
    expect(parameterOf(() => shells({ times: [0, 1], eigenvalues: [1, 0.5], energies: [1, 1, -0.5, 0.5] }))).toBe('energies');
    expect(parameterOf(() => shells({ times: [0, 1], eigenvalues: [1, 0.5], energies: [1, 1, 0.5, 0.5], multiplicity: [1] }))).toBe('multiplicity');
    expect(parameterOf(() => shells({ times: [0, 1], eigenvalues: [1, 0.5], energies: [1, 1, 0.5, 0.5] }, { base: 0.5 }))).toBe('base');
    expect(parameterOf(() => shells({ times: [0, 1], eigenvalues: [1, 0.5], energies: [1, 1, 0.5, 0.5] }, { reference: 2, colour: 1 } as never))).toBe('colour');
    expect(parameterOf(() => coarseGrain({ ...modal(), modeCount: 3 }, { base: 2, reference: 1 }))).toBe('energies');
    expect(parameterOf(() => coarseGrain({ ...modal(), eigenvaluesPerTime: true }, { base: 2, reference: 1, integration: 'trapezoid' }))).toBe('eigenvalues');
    expect(parameterOf(() => coarseGrain(modal(), { base: 1 + 1e-9, reference: 1 }))).toBe('base'); // too many shells
    expect(parameterOf(() => coarseGrain({ ...modal(), eigenvaluesPerTime: 'no' as never }, { base: 2, reference: 1 }))).toBe('eigenvaluesPerTime');
    expect(parameterOf(() => coarseGrain({ ...modal(), eigenvalues: new Float64Array(6).fill(1), eigenvaluesPerTime: true }, { base: 2, reference: 1, integration: 'exponential' }))).toBe('integration');
  });
});

describe('input forms', () => {
  it('agree: lazy options, a recorded lazy() result and raw modal data', () => {
    const options = { alpha: 1.5, beta: 0.5, modes: 500, times: [0, 1, 10, 100] };
    const direct = shells({ ...options, base: 4 });
    const recorded = lazy({ ...options, recordModes: true });
    const fromResult = shells(recorded, { base: 4 });
    const modes = recorded.modes!;
    const fromModal = shells({ times: recorded.times, eigenvalues: modes.eigenvalues, energies: modes.errors }, { base: 4 });
    // a 500-mode power law is summed exactly by every form (t = 0 is the first row here)
    expect(maxRelativeError(fromResult.energy, direct.energy)).toBeLessThan(1e-14);
    expect(maxRelativeError(fromModal.energy, direct.energy)).toBeLessThan(1e-14);
    // tau at t = 0 is NaN (no shell has decayed yet)
    expect(maxRelativeError(fromModal.effectiveTime.subarray(1), direct.effectiveTime.subarray(1))).toBeLessThan(1e-12);
    expect([direct.meta.source, fromResult.meta.source, fromModal.meta.source]).toEqual(['lazy', 'lazy-result', 'modal']);
    expect(JSON.parse(JSON.stringify(direct)).shellIndices.length).toBe(direct.shellIndices.length);
  });
});

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
function cli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

describe('CLI: scaling-dynamics shells', () => {
  const directory = mkdtempSync(join(tmpdir(), 'shells-cli-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('prints JSON equal to the API, including modes: Infinity', async () => {
    const run = await cli('shells', '--alpha', '1.5', '--beta', '0.5', '--modes', 'Infinity', '--times', 'log:10:1e3:3', '--base', '4', '--json');
    expect(run.stderr).toBe('');
    const parsed = JSON.parse(run.stdout);
    const api = shells({ alpha: 1.5, beta: 0.5, modes: Infinity, times: 'log:10:1e3:3', base: 4 });
    expect(maxRelativeError(parsed.energy, api.energy)).toBeLessThan(1e-15);
    expect(maxRelativeError(parsed.dissipationMeanModes, api.dissipationMeanModes)).toBeLessThan(1e-15);
    expect(parsed.meta.base).toBe(4);
  });

  it('prints CSV columns of estimators, E_s, D_s and J, and writes the SVG heat-map', async () => {
    const svg = join(directory, 'heat.svg');
    const run = await cli('shells', '--alpha', '1.5', '--beta', '0.5', '--modes', '2000', '--times', 'log:1:1e3:7', '--csv', '--svg', svg);
    expect(run.status).toBe(0);
    const [header, ...rows] = run.stdout.trim().split('\n');
    const names = header.split(',');
    for (const name of ['times', 'loss', 'halfDecay', 'peak', 'dissipationMean', 'dissipationMeanModes', 'effectiveTime', 'E_0', 'D_0', 'J_-0.5', 'J_0.5']) expect(names).toContain(name);
    expect(rows.length).toBe(7);
    const document = readFileSync(svg, 'utf8');
    expect(document.startsWith('<svg')).toBe(true);
    expect(document).toContain('lambda*_D');
    expect((document.match(/<rect /g) ?? []).length).toBeGreaterThan(7 * 10);
  });

  it('reads --modal-file and rejects lazy options with it (exit 2, option named)', async () => {
    const file = join(directory, 'modal.json');
    const data = modal();
    writeFileSync(file, JSON.stringify({ times: [...data.times], eigenvalues: [...data.eigenvalues], energies: [[1, 1], [Math.exp(-2), Math.exp(-0.6)], [Math.exp(-4), Math.exp(-1.2)]] }));
    const run = await cli('shells', '--modal-file', file, '--json');
    expect(run.stderr).toBe('');
    const api = coarseGrain(data, { base: 2, reference: 1 });
    expect(JSON.parse(run.stdout).energy).toEqual(Array.from(api.energy));
    const bad = await cli('shells', '--modal-file', file, '--alpha', '1.5');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--alpha');
    const badBase = await cli('shells', '--alpha', '1.5', '--beta', '0.5', '--base', '1');
    expect(badBase.status).toBe(2);
    expect(badBase.stderr).toContain('--base');
    const missing = await cli('shells', '--modal-file', join(directory, 'nope.json'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--modal-file');
  });
});
