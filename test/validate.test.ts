// Every public option is validated before it reaches an engine: a bad value raises a
// ParameterError (a RangeError) whose `parameter` is the option's name and whose message names
// the parameter, the value and the allowed range. Cancellation (signal, timeLimit) raises an
// AbortError, progress is reported up to 1, and extreme but legal inputs give finite numbers or
// a ParameterError: never a trap, a hang or a silent NaN.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AbortError, MAX_TIMES, MEMORY_BUDGET_BYTES, ParameterError, fitPowerLaw, fromBordelon2024, fromKramp2026,
  fromPaquette2024, initEngines, lazy, localExponents, powerLaw, simulateSgd, taskDifficulty, timeGrid,
  toBordelon2024, toKramp2026, toPaquette2024, type Progress,
} from './helpers.js';

beforeAll(async () => {
  startIsolated();
  await initEngines();
});

/** Runs `fn`, which must throw; returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, but the call returned');
}

/**
 * Asserts `fn` throws a ParameterError blaming `parameter` whose message names the parameter,
 * the value (`value`, as the message prints it) and the allowed range (`allowed`, when given).
 */
function expectParameterError(fn: () => unknown, parameter: string, value?: string, allowed?: RegExp): ParameterError {
  const error = thrown(fn);
  expect(error, String(error)).toBeInstanceOf(ParameterError);
  expect(error).toBeInstanceOf(RangeError);
  const e = error as ParameterError;
  expect(e.name).toBe('ParameterError');
  expect(e.parameter).toBe(parameter);
  expect(e.message.startsWith(`${parameter} = `), e.message).toBe(true);
  if (value !== undefined) expect(e.message).toContain(`${parameter} = ${value} `);
  expect(e.allowed.length).toBeGreaterThan(0);
  expect(e.message).toContain(`expected ${e.allowed}`);
  if (allowed) expect(e.message).toMatch(allowed);
  return e;
}

/** Every entry of every typed array (and number) in `value` is finite. */
function expectAllFinite(value: unknown, path = 'result'): void {
  if (typeof value === 'number') {
    expect(Number.isFinite(value), `${path} = ${value}`).toBe(true);
  } else if (ArrayBuffer.isView(value)) {
    const array = value as unknown as ArrayLike<number>;
    for (let i = 0; i < array.length; i++) expect(Number.isFinite(array[i]), `${path}[${i}] = ${array[i]}`).toBe(true);
  } else if (value && typeof value === 'object') {
    for (const [key, entry] of Object.entries(value)) {
      // modes: Infinity is a legal parameter echoed in meta; elapsed times are finite anyway
      if (key === 'modes' && entry === Infinity) continue;
      if (key === 'representedModes' && entry === Infinity) continue;
      if (key === 'batchSize' && entry === Infinity) continue;
      expectAllFinite(entry, `${path}.${key}`);
    }
  }
}

/** Either finite numbers throughout, or a ParameterError: never NaN or Infinity. */
function finiteOrParameterError(fn: () => unknown, label: string): 'finite' | 'rejected' {
  let result: unknown;
  try {
    result = fn();
  } catch (error) {
    expect(error, `${label}: ${String(error)}`).toBeInstanceOf(ParameterError);
    return 'rejected';
  }
  expectAllFinite(result, label);
  return 'finite';
}

const P = { alpha: 1.5, beta: 0.5 };
const GD = { ...P, optimizer: 'gd', learningRate: 0.5 } as const;
const SGD = { ...P, optimizer: 'sgd', learningRate: 0.5, batchSize: 4 } as const;
type Options = Record<string, unknown>;
const run = (options: Options) => () => lazy(options as never);

describe('lazy(): every option is validated', () => {
  it('rejects unknown option names and suggests the intended one', () => {
    let e = expectParameterError(run({ ...GD, learningRate: undefined, learningrate: 0.1 }), 'learningrate', '0.1', /known option of lazy\(\)/);
    expect(e.message).toContain("did you mean 'learningRate'?");
    e = expectParameterError(run({ ...SGD, batchsize: 4 }), 'batchsize', '4');
    expect(e.message).toContain("did you mean 'batchSize'?");
    e = expectParameterError(run({ ...P, mode: 10 }), 'mode', '10');
    expect(e.message).toContain("did you mean 'modes'?");
    e = expectParameterError(run({ ...P, lerningRate: 0.1 }), 'lerningRate');
    expect(e.message).toContain("did you mean 'learningRate'?");
    // far from every name: no suggestion, but the list of known options
    e = expectParameterError(run({ ...P, temperature: 1 }), 'temperature', '1');
    expect(e.message).not.toContain('did you mean');
    expect(e.message).toContain('learningRate');
  });

  it('rejects options that are not a plain object', () => {
    expectParameterError(run(null as never), 'options', 'null', /options object for lazy\(\)/);
    expectParameterError(run([] as never), 'options');
    expectParameterError(run(5 as never), 'options', '5');
    expectParameterError(run('alpha=1.5' as never), 'options');
    // no options at all: the spectrum is missing
    expectParameterError(() => lazy(undefined as never), 'alpha', 'undefined');
  });

  const numberCases: [string, Options, string, string, RegExp][] = [
    // NaN
    ['alpha NaN', { ...P, alpha: NaN }, 'alpha', 'NaN', /> 0 and <= 64/],
    ['beta NaN', { ...P, beta: NaN }, 'beta', 'NaN', /> 0/],
    ['modes NaN', { ...P, modes: NaN }, 'modes', 'NaN', /integer >= 1.*or Infinity/],
    ['leadingEigenvalue NaN', { ...P, leadingEigenvalue: NaN }, 'leadingEigenvalue', 'NaN', /> 0/],
    ['targetScale NaN', { ...P, targetScale: NaN }, 'targetScale', 'NaN', />= 0/],
    ['headModes NaN', { ...P, headModes: NaN }, 'headModes', 'NaN', /integer >= 16/],
    ['learningRate NaN', { ...GD, learningRate: NaN }, 'learningRate', 'NaN', /> 0/],
    ['batchSize NaN', { ...SGD, batchSize: NaN }, 'batchSize', 'NaN', /integer >= 1, or Infinity/],
    ['labelNoise NaN', { ...P, labelNoise: NaN }, 'labelNoise', 'NaN', />= 0/],
    ['weightDecay NaN', { ...P, weightDecay: NaN }, 'weightDecay', 'NaN', />= 0/],
    ['timeLimit NaN', { ...P, timeLimit: NaN }, 'timeLimit', 'NaN', /> 0, or Infinity/],
    // +Infinity where it is not allowed
    ['alpha Infinity', { ...P, alpha: Infinity }, 'alpha', 'Infinity', /finite number/],
    ['beta Infinity', { ...P, beta: Infinity }, 'beta', 'Infinity', /finite number/],
    ['leadingEigenvalue Infinity', { ...P, leadingEigenvalue: Infinity }, 'leadingEigenvalue', 'Infinity', /finite number > 0/],
    ['targetScale Infinity', { ...P, targetScale: Infinity }, 'targetScale', 'Infinity', /finite number >= 0/],
    ['headModes Infinity', { ...P, headModes: Infinity }, 'headModes', 'Infinity', /integer/],
    ['learningRate Infinity', { ...GD, learningRate: Infinity }, 'learningRate', 'Infinity', /finite number > 0/],
    ['labelNoise Infinity', { ...P, labelNoise: Infinity }, 'labelNoise', 'Infinity', /finite/],
    ['weightDecay Infinity', { ...P, weightDecay: Infinity }, 'weightDecay', 'Infinity', /finite/],
    // -Infinity everywhere, including where +Infinity is allowed
    ['modes -Infinity', { ...P, modes: -Infinity }, 'modes', '-Infinity', /or Infinity/],
    ['batchSize -Infinity', { ...SGD, batchSize: -Infinity }, 'batchSize', '-Infinity', /or Infinity/],
    ['alpha -Infinity', { ...P, alpha: -Infinity }, 'alpha', '-Infinity', /> 0/],
    ['timeLimit -Infinity', { ...P, timeLimit: -Infinity }, 'timeLimit', '-Infinity', /> 0/],
    // negative sizes and non-positive scales
    ['modes -1', { ...P, modes: -1 }, 'modes', '-1', /integer >= 1/],
    ['modes 0', { ...P, modes: 0 }, 'modes', '0', /integer >= 1/],
    ['headModes -16', { ...P, headModes: -16 }, 'headModes', '-16', /integer >= 16 and <= 134217728/],
    ['headModes 8', { ...P, headModes: 8 }, 'headModes', '8', />= 16/],
    ['headModes 2^27 + 1', { ...P, headModes: 2 ** 27 + 1 }, 'headModes', '134217729', /<= 134217728/],
    ['batchSize 0', { ...SGD, batchSize: 0 }, 'batchSize', '0', /integer >= 1/],
    ['batchSize -4', { ...SGD, batchSize: -4 }, 'batchSize', '-4', /integer >= 1/],
    ['leadingEigenvalue 0', { ...P, leadingEigenvalue: 0 }, 'leadingEigenvalue', '0', /> 0/],
    ['leadingEigenvalue -1', { ...P, leadingEigenvalue: -1 }, 'leadingEigenvalue', '-1', /> 0/],
    ['targetScale -1', { ...P, targetScale: -1 }, 'targetScale', '-1', />= 0/],
    ['labelNoise -0.1', { ...P, labelNoise: -0.1 }, 'labelNoise', '-0.1', />= 0/],
    ['weightDecay -0.1', { ...P, weightDecay: -0.1 }, 'weightDecay', '-0.1', />= 0/],
    ['learningRate 0', { ...GD, learningRate: 0 }, 'learningRate', '0', /> 0/],
    ['learningRate -0.5', { ...SGD, learningRate: -0.5 }, 'learningRate', '-0.5', /> 0/],
    ['beta 0', { ...P, beta: 0 }, 'beta', '0', /> 0/],
    ['beta -0', { ...P, beta: -0 }, 'beta', '-0', /> 0/],
    ['alpha 0', { ...P, alpha: 0, modes: 10 }, 'alpha', '0', /> 0/],
    ['alpha 65', { ...P, alpha: 65 }, 'alpha', '65', /<= 64/],
    ['beta 65', { ...P, beta: 65 }, 'beta', '65', /<= 64/],
    ['alpha <= 1 with infinitely many modes', { ...P, alpha: 1, modes: Infinity }, 'alpha', '1', /> 1/],
    ['modes beyond 2^53', { ...P, modes: 2 ** 60 }, 'modes', String(2 ** 60), /<= 9007199254740991/],
    // non-integer counts
    ['modes 1.5', { ...P, modes: 1.5 }, 'modes', '1.5', /an integer/],
    ['batchSize 2.5', { ...SGD, batchSize: 2.5 }, 'batchSize', '2.5', /an integer/],
    ['headModes 100.5', { ...P, headModes: 100.5 }, 'headModes', '100.5', /an integer/],
    // wrong types
    ['alpha as a string', { ...P, alpha: '1.5' }, 'alpha', '"1.5"', /finite number/],
    ['modes as a bigint', { ...P, modes: 10n }, 'modes', undefined as never, /integer/],
    ['includeNoise as a string', { ...P, includeNoise: 'yes' }, 'includeNoise', '"yes"', /true or false/],
    ['recordModes as a number', { ...P, recordModes: 1 }, 'recordModes', '1', /true or false/],
    // control
    ['timeLimit 0', { ...P, timeLimit: 0 }, 'timeLimit', '0', /> 0/],
    ['timeLimit -5', { ...P, timeLimit: -5 }, 'timeLimit', '-5', /> 0/],
    ['signal not an AbortSignal', { ...P, signal: {} }, 'signal', 'object', /an AbortSignal/],
    ['signal as a string', { ...P, signal: 'abort' }, 'signal', '"abort"', /an AbortSignal/],
    ['signal null', { ...P, signal: null }, 'signal', 'null', /an AbortSignal/],
    ['onProgress not a function', { ...P, onProgress: 3 }, 'onProgress', '3', /a function/],
  ];
  it.each(numberCases)('%s', (_label, options, parameter, value, allowed) => {
    expectParameterError(run(options), parameter, value, allowed);
  });

  it('validates custom spectra: lengths, signs and NaN inside arrays, naming the entry', () => {
    expectParameterError(run({ eigenvalues: [1, 0.5], targetPower: [1] }), 'targetPower', 'array of length 1', /same length as eigenvalues \(2\)/);
    expectParameterError(run({ eigenvalues: new Float64Array([1, 0.5, 0.25]), targetPower: new Float64Array(4).fill(1) }), 'targetPower', 'Float64Array of length 4');
    let e = expectParameterError(run({ eigenvalues: [1, 0], targetPower: [1, 1] }), 'eigenvalues', 'array of length 2', /each a finite number > 0/);
    expect(e.message).toContain('eigenvalues[1] = 0 is invalid');
    e = expectParameterError(run({ eigenvalues: [1, -0.5], targetPower: [1, 1] }), 'eigenvalues');
    expect(e.message).toContain('eigenvalues[1] = -0.5');
    e = expectParameterError(run({ eigenvalues: [1, NaN, 0.5], targetPower: [1, 1, 1] }), 'eigenvalues');
    expect(e.message).toContain('eigenvalues[1] = NaN');
    e = expectParameterError(run({ eigenvalues: new Float64Array([1, Infinity]), targetPower: [1, 1] }), 'eigenvalues', 'Float64Array of length 2');
    expect(e.message).toContain('eigenvalues[1] = Infinity');
    e = expectParameterError(run({ eigenvalues: [1, 0.5], targetPower: new Float64Array([NaN, 1]) }), 'targetPower', undefined, /each a finite number >= 0/);
    expect(e.message).toContain('targetPower[0] = NaN');
    e = expectParameterError(run({ eigenvalues: [1, 0.5], targetPower: [1, -1] }), 'targetPower');
    expect(e.message).toContain('targetPower[1] = -1');
    e = expectParameterError(run({ eigenvalues: [1, '0.5'], targetPower: [1, 1] }), 'eigenvalues');
    expect(e.message).toContain('eigenvalues[1] = "0.5"');
    expectParameterError(run({ eigenvalues: [], targetPower: [] }), 'eigenvalues', 'array of length 0', /array of 1\.\./);
    expectParameterError(run({ eigenvalues: '1,0.5', targetPower: [1, 1] }), 'eigenvalues', '"1,0.5"');
    expectParameterError(run({ eigenvalues: [1, 0.5] }), 'targetPower', 'undefined');
    expectParameterError(run({ targetPower: [1, 0.5] }), 'eigenvalues', 'undefined');
    // a spectrum is a power law or custom, never both
    expectParameterError(run({ eigenvalues: [1], targetPower: [1], alpha: 2 }), 'alpha', '2', /absent when eigenvalues/);
    expectParameterError(run({ eigenvalues: [1], targetPower: [1], modes: 1 }), 'modes', '1', /absent/);
    expectParameterError(run({ eigenvalues: [1], targetPower: [1], headModes: 16 }), 'headModes', '16', /absent/);
    // a power law needs both exponents
    expectParameterError(run({ beta: 0.5 }), 'alpha', 'undefined');
    expectParameterError(run({ alpha: 1.5 }), 'beta', 'undefined');
  });

  it('requires learningRate for gd and sgd, batchSize for sgd, and rejects them where they do not apply', () => {
    expectParameterError(run({ ...P, optimizer: 'gd' }), 'learningRate', 'undefined', /required for optimizer 'gd'/);
    expectParameterError(run({ ...P, optimizer: 'sgd', batchSize: 4 }), 'learningRate', 'undefined', /required for optimizer 'sgd'/);
    expectParameterError(run({ ...P, optimizer: 'sgd', learningRate: 0.5 }), 'batchSize', 'undefined', /required for optimizer 'sgd'/);
    expectParameterError(run({ ...P, learningRate: 0.5 }), 'learningRate', '0.5', /absent for optimizer 'flow'/);
    expectParameterError(run({ ...P, batchSize: 4 }), 'batchSize', '4', /absent for optimizer 'flow'/);
    expectParameterError(run({ ...GD, batchSize: 4 }), 'batchSize', '4', /absent for optimizer 'gd'/);
    expectParameterError(run({ ...SGD, weightDecay: 0.1 }), 'weightDecay', '0.1', /0 for optimizer 'sgd'/);
    // weightDecay 0 is the default and allowed for sgd
    expect(lazy({ ...SGD, weightDecay: 0, modes: 10, times: [0, 1] }).loss.length).toBe(2);
  });

  it('rejects learning rates that diverge: eta (lambda_max + weightDecay) >= 2, and the SGD stability sum >= 1', () => {
    // gd: lambda_max = 1
    let e = expectParameterError(run({ ...GD, learningRate: 2 }), 'learningRate', '2', /a number < 2 /);
    expect(e.message).toContain('diverges');
    expectParameterError(run({ ...GD, learningRate: 3 }), 'learningRate', '3');
    expect(Array.from(lazy({ ...GD, learningRate: 1.99, modes: 10, times: [0, 1, 100] }).loss).every(Number.isFinite)).toBe(true);
    // gd: lambda_max = 4 and weight decay both count
    expectParameterError(run({ ...GD, learningRate: 0.5, leadingEigenvalue: 4 }), 'learningRate', '0.5', /< 0\.5 /);
    e = expectParameterError(run({ ...GD, learningRate: 1.5, weightDecay: 0.5 }), 'learningRate', '1.5');
    expect(e.message).toContain('weightDecay 0.5');
    // custom spectrum: the largest eigenvalue, wherever it is
    expectParameterError(run({ eigenvalues: [0.1, 5, 1], targetPower: [1, 1, 1], optimizer: 'gd', learningRate: 0.4 }), 'learningRate', '0.4');
    // sgd: eta lambda_max = 0.9 < 2, but sum_k eta l_k / (B (2 - eta l_k (1 + 1/B))) >= 1 with B = 1
    e = expectParameterError(run({ ...SGD, learningRate: 0.9, batchSize: 1 }), 'learningRate', '0.9', /SGD stability/);
    expect(e.message).toMatch(/the sum is \d/);
    // the same step size is stable with a larger batch
    const stable = lazy({ ...SGD, learningRate: 0.9, batchSize: 64, times: [0, 10] });
    expect(stable.meta.stabilitySum).toBeLessThan(1);
    // sgd also obeys eta lambda_max < 2
    expectParameterError(run({ ...SGD, learningRate: 2, batchSize: Infinity }), 'learningRate', '2');
    // infinitely many modes: the sum diverges more easily (alpha close to 1)
    expectParameterError(run({ ...SGD, alpha: 1.0001, modes: Infinity }), 'learningRate', '0.5', /SGD stability/);
  });

  it('rejects invalid optimizer and engine names', () => {
    expectParameterError(run({ ...P, optimizer: 'adam' }), 'optimizer', '"adam"', /one of 'flow', 'gd', 'sgd'/);
    expectParameterError(run({ ...P, optimizer: 'SGD' }), 'optimizer', '"SGD"');
    expectParameterError(run({ ...P, optimizer: 1 }), 'optimizer', '1');
    expectParameterError(run({ ...P, optimizer: null }), 'optimizer', 'null');
    expectParameterError(run({ ...P, engine: 'gpu' }), 'engine', '"gpu"', /one of 'auto', 'wasm-simd', 'wasm', 'js'/);
    expectParameterError(run({ ...P, engine: '' }), 'engine', '""');
    expectParameterError(run({ ...P, engine: 0 }), 'engine', '0');
  });

  const timeCases: [string, Options, string, string | undefined, RegExp | undefined][] = [
    ['not increasing', { ...P, times: [1, 3, 2] }, 'times', 'array of length 3', /strictly increasing/],
    ['repeated', { ...P, times: [1, 1] }, 'times', 'array of length 2', /strictly increasing/],
    ['negative', { ...P, times: [-1, 2] }, 'times', 'array of length 2', />= 0/],
    ['empty', { ...P, times: [] }, 'times', 'array of length 0', /array of 1\.\./],
    ['NaN entry', { ...P, times: [0, NaN] }, 'times', undefined, /times\[1\] = NaN/],
    ['Infinity entry', { ...P, times: [0, Infinity] }, 'times', undefined, /times\[1\] = Infinity/],
    ['holes', { ...P, times: [1, , 3] }, 'times', undefined, /times\[1\] = undefined/],
    ['a number', { ...P, times: 10 }, 'options', '10', /options object for timeGrid/],
    ['null', { ...P, times: null }, 'options', 'null', undefined],
    ['non-integer steps for gd', { ...GD, times: [0, 1.5] }, 'times', undefined, /an integer >= 0/],
    ['non-integer steps for sgd', { ...SGD, times: [0.5] }, 'times', undefined, /an integer/],
    ['steps beyond 2^31 - 2', { ...GD, times: [0, 2 ** 31] }, 'times', undefined, /<= 2147483646/],
    ['log grid from 0', { ...P, times: { from: 0, to: 10, count: 3 } }, 'times.from', '0', /> 0/],
    ["'log:0:10:3'", { ...P, times: 'log:0:10:3' }, 'times.from', '0', /> 0/],
    ["'log:1:10' (missing count)", { ...P, times: 'log:1:10' }, 'times', '"log:1:10"', /log:FROM:TO:COUNT/],
    ["'log:a:10:3'", { ...P, times: 'log:a:10:3' }, 'times.from', 'NaN', undefined],
    ["'log:1:10:3.5'", { ...P, times: 'log:1:10:3.5' }, 'times.count', '3.5', /an integer >= 1/],
    ["'log:1:10:0'", { ...P, times: 'log:1:10:0' }, 'times.count', '0', /an integer >= 1/],
    ["'log:10:1:3' (decreasing)", { ...P, times: 'log:10:1:3' }, 'times.to', '1', />= 10/],
    ["'log:1:1:3' (empty range)", { ...P, times: 'log:1:1:3' }, 'times.to', '1', /> from/],
    ["'log:1:inf:3'", { ...P, times: 'log:1:Infinity:3' }, 'times.to', 'Infinity', /finite/],
    ["'cubic:1:10:3'", { ...P, times: 'cubic:1:10:3' }, 'times', '"cubic:1:10:3"', /comma list/],
    ["'log:1:10:3:4'", { ...P, times: 'log:1:10:3:4' }, 'times', undefined, /comma list/],
    ["'1,,3'", { ...P, times: '1,,3' }, 'times', '"1,,3"', /comma list/],
    ["'abc'", { ...P, times: 'abc' }, 'times', '"abc"', /comma list/],
    ["''", { ...P, times: '' }, 'times', '""', /comma list/],
    ['unknown spacing', { ...P, times: { from: 1, to: 10, count: 3, spacing: 'geometric' } }, 'times.spacing', '"geometric"', /'log', 'linear'/],
    ['misspelt grid key', { ...P, times: { from: 1, to: 10, cout: 3 } }, 'cout', '3', /did you mean 'count'/],
    ['too many points', { ...P, times: { from: 1, to: 10, count: MAX_TIMES + 1 } }, 'times.count', String(MAX_TIMES + 1), /<= 4194304/],
    ['non-integer step grid end', { ...GD, times: { from: 1, to: 2 ** 31, count: 3 } }, 'times.to', String(2 ** 31), /<= 2147483646/],
  ];
  it.each(timeCases)('times: %s', (_label, options, parameter, value, allowed) => {
    expectParameterError(run(options), parameter, value, allowed);
  });

  it(`refuses requests over the memory budget of ${MEMORY_BUDGET_BYTES / 2 ** 20} MiB up front (recordModes)`, () => {
    const started = performance.now();
    // 10^5 times x 2000 modes x 8 bytes = 1.6 GB of per-mode errors
    let e = expectParameterError(run({ ...P, modes: 2000, recordModes: true, times: { from: 1, to: 1e4, count: 1e5 } }), 'recordModes', undefined,
      /memory budget of 1024 MiB/);
    expect(e.message).toContain('100000 times x 2000 nodes');
    // a grid of 4e6 steps with recordModes over 1000 modes: 32 GB
    e = expectParameterError(run({ ...GD, modes: 1000, recordModes: true, times: { from: 1, to: 4e6, count: 4e6, spacing: 'linear' } }), 'recordModes');
    expect(e.message).toMatch(/it would need \d+ MiB/);
    expect(performance.now() - started).toBeLessThan(5000);
    // just under the budget is computed
    const small = lazy({ ...P, modes: 100, recordModes: true, times: [0, 1, 10] });
    expect(small.modes?.errors.length).toBe(300);
  });

  it('names the value in the memory-budget message for recordModes (true, not "boolean")', () => {
    const e = expectParameterError(run({ ...P, modes: 2000, recordModes: true, times: { from: 1, to: 1e4, count: 1e5 } }), 'recordModes');
    expect(e.message).toContain('recordModes = true ');
  });

  it('onProgress receives fractions that increase to 1 (flow, gd and sgd)', () => {
    for (const options of [
      { ...P, modes: Infinity, times: { from: 1, to: 1e6, count: 2000 } },
      { ...GD, learningRate: 1.5, modes: 100, times: [0, 1, 2, 3] },
      { ...SGD, modes: Infinity, times: { from: 1, to: 3e4, count: 30 } },
    ]) {
      const fractions: number[] = [];
      const dones: number[] = [];
      lazy({ ...options, onProgress: (progress: Progress) => {
        fractions.push(progress.fraction);
        dones.push(progress.done);
        expect(progress.total).toBeGreaterThan(0);
        expect(progress.elapsedMs).toBeGreaterThanOrEqual(0);
      } } as never);
      expect(fractions.length, JSON.stringify(options)).toBeGreaterThanOrEqual(2);
      expect(fractions[0]).toBeGreaterThanOrEqual(0);
      for (let i = 1; i < fractions.length; i++) {
        expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
        expect(dones[i]).toBeGreaterThanOrEqual(dones[i - 1]);
      }
      expect(fractions[fractions.length - 1]).toBe(1);
      expect(fractions.every((fraction) => fraction >= 0 && fraction <= 1)).toBe(true);
    }
  });

  it('an already-aborted signal gives an AbortError with reason "signal"', () => {
    for (const options of [P, GD, SGD]) {
      const controller = new AbortController();
      controller.abort(new Error('user cancelled'));
      const error = thrown(() => lazy({ ...options, signal: controller.signal } as never));
      expect(error).toBeInstanceOf(AbortError);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(ParameterError);
      expect((error as AbortError).name).toBe('AbortError');
      expect((error as AbortError).reason).toBe('signal');
      expect(((error as AbortError).cause as Error).message).toBe('user cancelled');
    }
    expect((thrown(() => lazy({ ...P, signal: AbortSignal.abort() })) as AbortError).reason).toBe('signal');
  });

  it('a signal aborted during the run stops it with an AbortError', () => {
    const controller = new AbortController();
    let calls = 0;
    const error = thrown(() => lazy({
      ...SGD, modes: Infinity, times: [0, 1e6], signal: controller.signal,
      onProgress: () => { calls++; controller.abort(); },
    }));
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).reason).toBe('signal');
    expect(calls).toBe(1);
    // an exception thrown by onProgress also stops the run, and is passed through
    expect(() => lazy({ ...P, onProgress: () => { throw new TypeError('stop here'); } })).toThrow('stop here');
  });

  it('a tiny timeLimit on a big SGD run throws AbortError (reason "timeLimit") quickly', () => {
    const started = performance.now();
    // 1e8 steps over ~2000 nodes would take minutes
    const error = thrown(() => lazy({ ...SGD, modes: Infinity, times: [0, 1e8], timeLimit: 5 }));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).reason).toBe('timeLimit');
    expect((error as AbortError).message).toMatch(/timeLimit of 5 ms/);
    expect(elapsed).toBeLessThan(3000);
    // and on a flow run with many terms
    const flow = thrown(() => lazy({ ...P, modes: Infinity, headModes: 2 ** 16, times: { from: 1, to: 1e6, count: 1e5 }, timeLimit: 1 }));
    expect(flow).toBeInstanceOf(AbortError);
    expect((flow as AbortError).reason).toBe('timeLimit');
    // Infinity is an allowed timeLimit
    expect(lazy({ ...P, timeLimit: Infinity, times: [0, 1] }).loss.length).toBe(2);
  });

  it('accepts the documented Infinity values: modes Infinity and batchSize Infinity', () => {
    const flow = lazy({ ...P, modes: Infinity, times: [0, 1, 100] });
    expectAllFinite({ loss: flow.loss, localExponent: flow.localExponent });
    const sgd = lazy({ ...SGD, batchSize: Infinity, modes: Infinity, times: [0, 1, 100] });
    expectAllFinite({ loss: sgd.loss, localExponent: sgd.localExponent });
    expect(sgd.meta.parameters.batchSize).toBe(Infinity);
  });
});

describe('extreme but legal inputs give finite numbers or a ParameterError, never NaN', () => {
  const spectra: [string, Options][] = [
    ['alpha 64', { alpha: 64, beta: 0.5 }],
    ['alpha 64, beta 64', { alpha: 64, beta: 64 }],
    ['alpha 64, beta 1e-3', { alpha: 64, beta: 1e-3 }],
    ['beta 1e-3', { alpha: 1.5, beta: 1e-3 }],
    ['beta 64', { alpha: 1.5, beta: 64 }],
    ['alpha 1 + 1e-6', { alpha: 1 + 1e-6, beta: 0.5 }],
    ['leadingEigenvalue 1e-300', { alpha: 1.5, beta: 0.5, leadingEigenvalue: 1e-300 }],
    ['leadingEigenvalue 1e300', { alpha: 1.5, beta: 0.5, leadingEigenvalue: 1e300 }],
    ['alpha 64, leadingEigenvalue 1e-300 (eigenvalues underflow to 0)', { alpha: 64, beta: 1e-3, leadingEigenvalue: 1e-300 }],
    ['alpha 10, leadingEigenvalue 1e-300', { alpha: 10, beta: 0.1, leadingEigenvalue: 1e-300 }],
    ['targetScale 0', { alpha: 1.5, beta: 0.5, targetScale: 0 }],
    ['targetScale 1e-300', { alpha: 1.5, beta: 0.5, targetScale: 1e-300 }],
    ['targetScale 1e300', { alpha: 1.5, beta: 0.5, targetScale: 1e300 }],
  ];
  const cases: [string, Options][] = [];
  for (const [label, spectrum] of spectra) {
    const scale = (spectrum.leadingEigenvalue as number | undefined) ?? 1;
    for (const modes of [50, 1e12, Infinity]) {
      // flow times in units of 1/leadingEigenvalue (larger lambda_1 t is tested in child processes below)
      cases.push([`${label}, modes ${modes}, flow`, { ...spectrum, modes, times: [0, 1e-300, 1 / scale, 1e4 / scale], recordModes: modes === 50 }]);
      cases.push([`${label}, modes ${modes}, gd`, { ...spectrum, modes, optimizer: 'gd', learningRate: 1.5 / scale, times: [0, 1, 2, 1000] }]);
      cases.push([`${label}, modes ${modes}, sgd`, { ...spectrum, modes, optimizer: 'sgd', learningRate: 0.1 / scale, batchSize: 8, labelNoise: 0.1, times: [0, 1, 2, 100] }]);
    }
  }
  it.each(cases)('%s', (label, options) => {
    finiteOrParameterError(() => lazy(options as never), label);
  });

  // These are legal and stable (eta lambda_max <= 0.1, B = 8): they must compute, not be refused.
  const mustCompute: [string, Options][] = [
    ['alpha 64, beta 1e-3, modes Infinity, sgd', { alpha: 64, beta: 1e-3, modes: Infinity, optimizer: 'sgd', learningRate: 0.5, batchSize: 4, times: [0, 1, 100] }],
    ['alpha 64, beta 0.5, modes Infinity, sgd', { alpha: 64, beta: 0.5, modes: Infinity, optimizer: 'sgd', learningRate: 0.5, batchSize: 4, times: [0, 1, 100] }],
    ['leadingEigenvalue 1e-300, modes Infinity, sgd', { alpha: 1.5, beta: 0.5, modes: Infinity, leadingEigenvalue: 1e-300, optimizer: 'sgd', learningRate: 1, batchSize: 4, times: [0, 1, 10] }],
    ['leadingEigenvalue 1e300, modes Infinity, sgd', { alpha: 1.5, beta: 0.5, modes: Infinity, leadingEigenvalue: 1e300, optimizer: 'sgd', learningRate: 1e-301, batchSize: 4, times: [0, 1, 10] }],
    ['alpha 64, modes Infinity, flow with recordModes', { alpha: 64, beta: 1e-3, modes: Infinity, recordModes: true, times: [0, 1, 1e4] }],
    ['leadingEigenvalue 1e-300, modes Infinity, flow with recordModes', { alpha: 1.5, beta: 0.5, modes: Infinity, leadingEigenvalue: 1e-300, recordModes: true, times: [0, 1e4] }],
  ];
  it.each(mustCompute)('computes %s (finite loss, exponents, tail multiplicities and stability sum)', (label, options) => {
    expect(finiteOrParameterError(() => lazy(options as never), label)).toBe('finite');
  });

  it('the loss at t = 0 is sum_k p_k whatever the eigenvalues: no mode and no tail is dropped', () => {
    // zeta(1.064) over M = Infinity, with the eigenvalues of the far modes underflowing to 0
    for (const optimizer of [{}, { optimizer: 'gd', learningRate: 1 }, { optimizer: 'sgd', learningRate: 1, batchSize: 4 }]) {
      const reference = lazy({ alpha: 64, beta: 1e-3, modes: Infinity, times: [0], ...optimizer } as never).loss[0];
      const tiny = lazy({ alpha: 64, beta: 1e-3, modes: Infinity, leadingEigenvalue: 1e-300, times: [0], ...optimizer } as never).loss[0];
      expect(reference).toBeCloseTo(16.2069, 3);
      expect(Math.abs(tiny / reference - 1), JSON.stringify(optimizer)).toBeLessThan(1e-9);
    }
  });

  it('targetScale 0 gives a zero excess loss, and label noise alone drives SGD', () => {
    const flow = lazy({ alpha: 1.5, beta: 0.5, modes: Infinity, targetScale: 0, times: [0, 1, 10] });
    expect(Array.from(flow.loss)).toEqual([0, 0, 0]);
    expect(Array.from(flow.localExponent)).toEqual([0, 0, 0]);
    const gd = lazy({ alpha: 1.5, beta: 0.5, modes: Infinity, targetScale: 0, optimizer: 'gd', learningRate: 1.5, times: [0, 1, 10] });
    expect(Array.from(gd.loss)).toEqual([0, 0, 0]);
    const sgd = lazy({ alpha: 1.5, beta: 0.5, modes: 100, targetScale: 0, labelNoise: 1, optimizer: 'sgd', learningRate: 0.5, batchSize: 2, times: [0, 1, 10] });
    expectAllFinite({ loss: sgd.loss, localExponent: sgd.localExponent });
    expect(sgd.loss[0]).toBe(0);
    expect(sgd.loss[1]).toBeGreaterThan(0);
  });

  it('the largest finite scales give finite losses or a ParameterError', () => {
    for (const [label, options] of [
      ['targetScale 1e308', { alpha: 1.5, beta: 0.5, modes: 100, targetScale: 1e308, times: [0, 1] }],
      ['targetScale 1e308, sgd', { alpha: 1.5, beta: 0.5, modes: 100, targetScale: 1e308, optimizer: 'sgd', learningRate: 0.5, batchSize: 4, times: [0, 1] }],
      ['labelNoise 1e308, sgd', { alpha: 1.5, beta: 0.5, modes: 100, labelNoise: 1e308, includeNoise: true, optimizer: 'sgd', learningRate: 0.5, batchSize: 4, times: [0, 1] }],
    ] as [string, Options][]) {
      finiteOrParameterError(() => lazy(options as never), label);
    }
  });
});

// Inputs that currently crash or exhaust the process (an uncatchable V8 fatal error would take
// the whole test file down) run against the build (dist/node.js, made by `npm run build`) in
// child processes with a heap cap and a time limit; each must print finite numbers or a
// ParameterError within the limit.
const distEntry = fileURLToPath(new URL('../dist/node.js', import.meta.url));
const isolated: [string, string][] = [
  ['flow over modes Infinity up to t = 1e302', "lazy({ alpha: 1.5, beta: 0.5, modes: Infinity, times: [0, 1, 1e302] })"],
  ['flow over modes Infinity with leadingEigenvalue 1e300 up to t = 1e10', "lazy({ alpha: 1.5, beta: 0.5, modes: Infinity, leadingEigenvalue: 1e300, times: [0, 1, 1e10] })"],
  ['flow over modes Infinity on a log grid from 1e-300 to 1e300', "lazy({ alpha: 1.5, beta: 0.5, modes: Infinity, times: { from: 1e-300, to: 1e300, count: 5 } })"],
  ['headModes 2^27 with modes Infinity is refused by the memory budget', "lazy({ alpha: 1.5, beta: 0.5, modes: Infinity, headModes: 2 ** 27, times: [1] })"],
  ['simulateSgd over 2^25 modes is refused by the memory budget', "simulateSgd({ alpha: 1.5, beta: 0.5, modes: 2 ** 25, learningRate: 0.5, batchSize: 1, times: [0, 1], seeds: 2 })"],
];
const outcomes = new Map<string, Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; ms: number }>>();
// generous for a loaded machine (a fixed run takes well under a second alone); a runaway is killed here
const TIME_LIMIT_MS = 10_000;

/** Starts every isolated case at once (from the file's beforeAll, so they overlap the other tests). */
function startIsolated(): void {
  if (!existsSync(distEntry)) return;
  for (const [label, expression] of isolated) {
    const script = `import { lazy, simulateSgd } from ${JSON.stringify(pathToFileURL(distEntry).href)};
      try {
        const r = ${expression};
        const numbers = [...r.times, ...r.loss, ...(r.localExponent ?? r.standardError)];
        console.log(JSON.stringify({ kind: 'result', finite: numbers.every(Number.isFinite), times: Array.from(r.times, String), loss: Array.from(r.loss, String) }));
      } catch (e) {
        console.log(JSON.stringify({ kind: 'error', name: e.name, parameter: e.parameter, message: e.message }));
      }`;
    outcomes.set(label, new Promise((resolve) => {
      const started = performance.now();
      const child = spawn(process.execPath, ['--max-old-space-size=512', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => { stdout += chunk; });
      child.stderr.on('data', (chunk) => { stderr += chunk; });
      const timer = setTimeout(() => child.kill('SIGKILL'), TIME_LIMIT_MS);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr: stderr.slice(0, 300), ms: performance.now() - started });
      });
    }));
  }
}

describe('never a trap or a hang (isolated in child processes)', () => {
  it.each(isolated)('%s', async (label) => {
    expect(existsSync(distEntry), 'run `npm run build` first').toBe(true);
    const outcome = await outcomes.get(label)!;
    expect(outcome.signal, `killed after ${outcome.ms.toFixed(0)} ms (hang or runaway allocation)`).toBeNull();
    expect(outcome.code, `exit ${outcome.code}: ${outcome.stderr}`).toBe(0);
    const report = JSON.parse(outcome.stdout.trim().split('\n').pop()!);
    if (report.kind === 'error') expect(report.name, report.message).toBe('ParameterError');
    else expect(report.finite, JSON.stringify(report)).toBe(true);
    if (label.startsWith('headModes')) expect(report).toMatchObject({ kind: 'error', name: 'ParameterError', parameter: 'headModes' });
    if (label.startsWith('simulateSgd')) expect(report).toMatchObject({ kind: 'error', name: 'ParameterError', parameter: 'modes' });
  }, TIME_LIMIT_MS + 5000);
});

describe('simulateSgd() validates its options', () => {
  const S = { alpha: 1.5, beta: 0.5, modes: 10, learningRate: 0.5, batchSize: 2, times: [0, 1, 5], seeds: 4 };
  const sim = (options: Options) => () => simulateSgd(options as never);

  it('runs on valid input (power law and custom spectra)', () => {
    const result = simulateSgd(S);
    expectAllFinite({ loss: result.loss, standardError: result.standardError });
    expect(result.loss[0]).toBeCloseTo(Array.from(powerLaw({ alpha: 1.5, beta: 0.5, modes: 10 }).targetPower).reduce((a, b) => a + b, 0), 12);
    const custom = simulateSgd({ eigenvalues: [1, 0.5], targetPower: [0.5, 0.5], learningRate: 0.5, batchSize: 1, times: [0, 3], seeds: 3 });
    expect(custom.loss[0]).toBeCloseTo(1, 14);
  });

  const cases: [string, Options, string, string | undefined, RegExp | undefined][] = [
    ['misspelt learningRate', { ...S, learningRate: undefined, learningrate: 0.5 }, 'learningrate', '0.5', /did you mean 'learningRate'/],
    ['headModes (not an option here)', { ...S, headModes: 100 }, 'headModes', '100', /known option of simulateSgd/],
    ['learningRate missing', { ...S, learningRate: undefined }, 'learningRate', 'undefined', /> 0/],
    ['learningRate NaN', { ...S, learningRate: NaN }, 'learningRate', 'NaN', /> 0/],
    ['learningRate -1', { ...S, learningRate: -1 }, 'learningRate', '-1', /> 0/],
    ['batchSize missing', { ...S, batchSize: undefined }, 'batchSize', 'undefined', /integer >= 1/],
    ['batchSize Infinity', { ...S, batchSize: Infinity }, 'batchSize', 'Infinity', /integer >= 1 and <= 1048576/],
    ['batchSize 0', { ...S, batchSize: 0 }, 'batchSize', '0', /integer >= 1/],
    ['batchSize 1.5', { ...S, batchSize: 1.5 }, 'batchSize', '1.5', /integer/],
    ['labelNoise -1', { ...S, labelNoise: -1 }, 'labelNoise', '-1', />= 0/],
    ['seeds 1', { ...S, seeds: 1 }, 'seeds', '1', /integer >= 2/],
    ['seeds 2.5', { ...S, seeds: 2.5 }, 'seeds', '2.5', /integer/],
    ['seed -1', { ...S, seed: -1 }, 'seed', '-1', /integer >= 0/],
    ['seed NaN', { ...S, seed: NaN }, 'seed', 'NaN', /integer >= 0/],
    ['times non-integer', { ...S, times: [0, 1.5] }, 'times', undefined, /integer/],
    ['times decreasing', { ...S, times: [5, 1] }, 'times', undefined, /strictly increasing/],
    ['times missing', { ...S, times: undefined }, 'times.from', 'undefined', undefined],
    ['modes Infinity', { ...S, modes: Infinity }, 'modes', 'Infinity', /<= 134217728/],
    ['alpha NaN', { ...S, alpha: NaN }, 'alpha', 'NaN', undefined],
    ['custom and power law', { ...S, alpha: undefined, beta: undefined, modes: 2, eigenvalues: [1, 0.5], targetPower: [1, 1] }, 'modes', '2', /absent/],
    ['too much work', { ...S, modes: 1e5, batchSize: 1e4, times: [0, 1e6] }, 'seeds', '4', /<= 100000000000/],
    ['signal', { ...S, signal: 'stop' }, 'signal', '"stop"', /AbortSignal/],
    ['timeLimit', { ...S, timeLimit: 0 }, 'timeLimit', '0', /> 0/],
  ];
  it.each(cases)('%s', (_label, options, parameter, value, allowed) => {
    const given = Object.fromEntries(Object.entries(options).filter(([, entry]) => entry !== undefined));
    expectParameterError(sim(given), parameter, value, allowed);
  });

  it('aborts on an aborted signal', () => {
    const error = thrown(sim({ ...S, signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).reason).toBe('signal');
  });

  it('a diverging learning rate is refused or gives finite numbers, never NaN', () => {
    finiteOrParameterError(() => simulateSgd({ ...S, learningRate: 5, batchSize: 1, times: [0, 1000], seeds: 2 }), 'learningRate 5');
  });
});

describe('powerLaw() and taskDifficulty() validate their options', () => {
  it('powerLaw rejects unknown options, non-finite and out-of-range values, and M too large for a list', () => {
    expectParameterError(() => powerLaw({ alpha: 1.5, beta: 0.5, mode: 3 } as never), 'mode', '3', /known option of powerLaw/);
    expectParameterError(() => powerLaw({ alpha: 1.5, beta: 0.5, headModes: 30 } as never), 'headModes', '30');
    expectParameterError(() => powerLaw({ alpha: NaN, beta: 0.5 }), 'alpha', 'NaN');
    expectParameterError(() => powerLaw({ alpha: 1.5, beta: -1 }), 'beta', '-1');
    expectParameterError(() => powerLaw({ alpha: 1.5, beta: 0.5, modes: 0 }), 'modes', '0');
    expectParameterError(() => powerLaw({ alpha: 1.5, beta: 0.5, modes: Infinity }), 'modes', 'Infinity', /from 1 to 134217728 for an explicit list/);
    expectParameterError(() => powerLaw({ alpha: 1.5, beta: 0.5, modes: 2 ** 27 + 1 }), 'modes', '134217729');
    expectParameterError(() => powerLaw({ alpha: 1.5, beta: 0.5, leadingEigenvalue: 0 }), 'leadingEigenvalue', '0');
    expectParameterError(() => powerLaw({ eigenvalues: [1], targetPower: [1] } as never), 'eigenvalues');
    expectParameterError(() => powerLaw({ beta: 0.5 }), 'alpha', 'undefined');
  });

  it('powerLaw rejects a missing or null options object with a ParameterError (not a TypeError)', () => {
    expect(thrown(() => powerLaw(undefined as never))).toBeInstanceOf(ParameterError);
    expect(thrown(() => powerLaw(null as never))).toBeInstanceOf(ParameterError);
  });

  it('powerLaw gives finite numbers (or zeros by underflow) at the extremes', () => {
    for (const options of [
      { alpha: 64, beta: 64, modes: 5 }, { alpha: 64, beta: 1e-3, modes: 5 }, { alpha: 1.5, beta: 0.5, modes: 5, leadingEigenvalue: 1e300, targetScale: 1e250 },
      { alpha: 1.5, beta: 0.5, modes: 5, leadingEigenvalue: 1e-300, targetScale: 0 }, { alpha: 1e-3, beta: 1e-3, modes: 5 },
    ]) {
      const { eigenvalues, targetPower } = powerLaw(options);
      expectAllFinite({ eigenvalues, targetPower }, JSON.stringify(options));
      expect(eigenvalues[0]).toBe(options.leadingEigenvalue ?? 1);
    }
  });

  it('taskDifficulty rejects bad exponents', () => {
    expectParameterError(() => taskDifficulty({ alpha: 1, beta: 0.5 }), 'alpha', '1', /> 1/);
    expectParameterError(() => taskDifficulty({ alpha: NaN, beta: 0.5 }), 'alpha', 'NaN');
    expectParameterError(() => taskDifficulty({ alpha: Infinity, beta: 0.5 }), 'alpha', 'Infinity');
    expectParameterError(() => taskDifficulty({ alpha: 2, beta: 0 }), 'beta', '0', /> 0/);
    expectParameterError(() => taskDifficulty({ alpha: 2, beta: NaN }), 'beta', 'NaN');
    expectParameterError(() => taskDifficulty({ alpha: 2, beta: -Infinity }), 'beta', '-Infinity');
    expectParameterError(() => taskDifficulty({ alpha: 2 } as never), 'beta', 'undefined');
    expectParameterError(() => taskDifficulty(undefined as never), 'alpha', 'undefined');
    expect(thrown(() => taskDifficulty(null as never))).toBeInstanceOf(ParameterError);
    expectParameterError(() => taskDifficulty({ alpha: '2', beta: 1 } as never), 'alpha', '"2"');
  });

  it('taskDifficulty rejects unknown option names (a typo must not pass silently)', () => {
    expectParameterError(() => taskDifficulty({ alpha: 2, beta: 1, betta: 1.9 } as never), 'betta', '1.9');
  });
});

describe('converters validate their input and give finite results', () => {
  it('from*: out-of-range, non-finite and unknown inputs', () => {
    expectParameterError(() => fromBordelon2024({ a: 1, b: 1.5 }), 'a', '1', /> 1/);
    expectParameterError(() => fromBordelon2024({ a: 2, b: 1 }), 'b', '1', /> 1/);
    expectParameterError(() => fromBordelon2024({ a: NaN, b: 2 }), 'a', 'NaN');
    expectParameterError(() => fromBordelon2024({ a: 2, b: Infinity }), 'b', 'Infinity');
    expectParameterError(() => fromBordelon2024({ a: 2, B: 1.5 } as never), 'B', '1.5', /did you mean 'b'/);
    expectParameterError(() => fromBordelon2024(null as never), 'options', 'null');
    expectParameterError(() => fromPaquette2024({ alphaP: 0.5, betaP: 0.125 }), 'alphaP', '0.5', /> 0.5/);
    expectParameterError(() => fromPaquette2024({ alphaP: 0.75, betaP: -0.25 }), 'betaP', '-0.25', /> -0.25/);
    expectParameterError(() => fromPaquette2024({ alphaP: 0.75, betaP: NaN }), 'betaP', 'NaN');
    expectParameterError(() => fromPaquette2024({ alphaP: 0.75, betaP: Infinity }), 'betaP', 'Infinity');
    expectParameterError(() => fromPaquette2024({ alphaP: Infinity, betaP: 0 }), 'alphaP', 'Infinity');
    expectParameterError(() => fromPaquette2024({ alphaP: 0.75, beta: 0.1 } as never), 'beta', '0.1');
    expectParameterError(() => fromKramp2026({ alphaK: 0 }), 'alphaK', '0', /> 0/);
    expectParameterError(() => fromKramp2026({ alphaK: -1 }), 'alphaK', '-1');
    expectParameterError(() => fromKramp2026({ alphaK: Infinity }), 'alphaK', 'Infinity');
    expectParameterError(() => fromKramp2026({ alphaK: NaN }), 'alphaK', 'NaN');
    expectParameterError(() => fromKramp2026({ alpha_K: 1 } as never), 'alpha_K', '1');
  });

  it('to*: out-of-range, non-finite and unknown inputs', () => {
    for (const to of [toBordelon2024, toPaquette2024, toKramp2026]) {
      expectParameterError(() => to({ alpha: 1, beta: 0.5 }), 'alpha', '1', /> 1/);
      expectParameterError(() => to({ alpha: NaN, beta: 0.5 }), 'alpha', 'NaN');
      expectParameterError(() => to({ alpha: 2, beta: 0 }), 'beta', '0', /> 0/);
      expectParameterError(() => to({ alpha: 2, beta: Infinity }), 'beta', 'Infinity');
      expectParameterError(() => to({ alpha: 2, beta: 0.5, gamma: 1 } as never), 'gamma', '1');
      expectParameterError(() => to(null as never), 'options', 'null');
    }
  });

  it('a missing options object is a ParameterError, not a TypeError', () => {
    for (const convert of [fromBordelon2024, fromPaquette2024, fromKramp2026, toBordelon2024, toPaquette2024, toKramp2026]) {
      expect(thrown(() => (convert as (options?: unknown) => unknown)(undefined)), convert.name).toBeInstanceOf(ParameterError);
    }
  });

  it('the largest legal inputs give finite results or a ParameterError, and never alpha <= 1', () => {
    const attempts: [string, () => object][] = [
      ['toBordelon2024 1e300', () => toBordelon2024({ alpha: 1e300, beta: 1e300 })],
      ['toPaquette2024 1e300', () => toPaquette2024({ alpha: 1e300, beta: 1e300 })],
      ['toKramp2026 1e300', () => toKramp2026({ alpha: 1e300, beta: 1e300 })],
      ['fromPaquette2024 1e308', () => fromPaquette2024({ alphaP: 1e308, betaP: 1e308 })],
      ['fromBordelon2024 1.7e308', () => fromBordelon2024({ a: 1.7e308, b: 1.1 })],
      ['fromKramp2026 1e300', () => fromKramp2026({ alphaK: 1e300 })],
      ['fromKramp2026 1e-300', () => fromKramp2026({ alphaK: 1e-300 })],
      ['fromBordelon2024 1 + 1e-16', () => fromBordelon2024({ a: 1 + 2 ** -52, b: 1 + 2 ** -52 })],
    ];
    for (const [label, attempt] of attempts) {
      if (finiteOrParameterError(attempt, label) === 'finite') {
        const result = attempt() as { alpha?: number };
        if (result.alpha !== undefined) expect(result.alpha, label).toBeGreaterThan(1);
      }
    }
    // and the ordinary cases are finite
    expectAllFinite(toPaquette2024({ alpha: 64, beta: 64 }));
    expectAllFinite(fromPaquette2024({ alphaP: 32, betaP: 2016.5 }));
  });
});

describe('localExponents() and fitPowerLaw() validate their input', () => {
  it('localExponents: lengths, non-finite entries, too few points, non-arrays', () => {
    expectParameterError(() => localExponents([1, 10, 100], [1, 0.1]), 'values', 'array of length 2', /same length as times \(3\)/);
    expectParameterError(() => localExponents([1], [1]), 'times', 'array of length 1', /array of 2\.\./);
    expectParameterError(() => localExponents([1, NaN], [1, 1]), 'times', undefined, /times\[1\] = NaN/);
    expectParameterError(() => localExponents([1, 2], [1, Infinity]), 'values', undefined, /values\[1\] = Infinity/);
    expectParameterError(() => localExponents('1,2' as never, [1, 2]), 'times', '"1,2"');
    expectParameterError(() => localExponents([1, 2], null as never), 'values', 'null');
  });

  it('localExponents: repeated times are rejected rather than giving NaN', () => {
    const error = thrown(() => localExponents([1, 1, 3], [1, 2, 1]));
    expect(error).toBeInstanceOf(ParameterError);
    expect((error as ParameterError).parameter).toBe('times');
  });

  it('localExponents: t <= 0 or y <= 0 give NaN at those points only, as documented', () => {
    const out = localExponents([0, 1, 10, 100, 1000], [1, 1, 0.1, 0.01, 0.001]);
    expect(out[0]).toBeNaN();
    expect(out[2]).toBeCloseTo(1, 12);
    expect(out[3]).toBeCloseTo(1, 12);
    expect(out[4]).toBeCloseTo(1, 12);
  });

  it('fitPowerLaw: lengths, non-finite entries, window options, too few points in the window', () => {
    const t = [1, 10, 100];
    const y = [2, 0.2, 0.02];
    expectParameterError(() => fitPowerLaw([1, 10], y), 'values', 'array of length 3', /same length as times \(2\)/);
    expectParameterError(() => fitPowerLaw(t, [2, NaN, 0.02]), 'values', undefined, /values\[1\] = NaN/);
    expectParameterError(() => fitPowerLaw([1, -Infinity, 3], y), 'times', undefined, /times\[1\] = -Infinity/);
    expectParameterError(() => fitPowerLaw([1], [1]), 'times', 'array of length 1');
    expectParameterError(() => fitPowerLaw(t, y, { form: 1 } as never), 'form', '1', /did you mean 'from'/);
    expectParameterError(() => fitPowerLaw(t, y, null as never), 'options', 'null');
    expectParameterError(() => fitPowerLaw(t, y, { from: NaN }), 'from', 'NaN', />= 0/);
    expectParameterError(() => fitPowerLaw(t, y, { from: -1 }), 'from', '-1', />= 0/);
    expectParameterError(() => fitPowerLaw(t, y, { from: 50, to: 10 }), 'to', '10', />= 50/);
    expectParameterError(() => fitPowerLaw(t, y, { to: NaN }), 'to', 'NaN');
    expectParameterError(() => fitPowerLaw(t, y, { from: 50 }), 'window', 'object', /at least 2 points/);
    expectParameterError(() => fitPowerLaw([1, 2, 3], [0, -1, 1]), 'window', undefined, /it holds 1/);
    expectParameterError(() => fitPowerLaw([1, 1, 1], y), 'times', undefined, /two distinct times/);
    // to = Infinity is the documented default
    expect(fitPowerLaw(t, y, { from: 0, to: Infinity }).exponent).toBeCloseTo(1, 12);
  });
});

describe('timeGrid() validates its input', () => {
  it('rejects bad grids, naming the part', () => {
    expectParameterError(() => timeGrid({ from: 0, to: 10, count: 3 }), 'times.from', '0', /> 0/);
    expectParameterError(() => timeGrid({ from: 0, to: 1, count: 2 }, { parameter: 'steps' }), 'steps.from', '0');
    expectParameterError(() => timeGrid({ from: -1, to: 10, count: 3, spacing: 'linear' }), 'times.from', '-1', />= 0/);
    expectParameterError(() => timeGrid({ from: 1, to: NaN, count: 3 }), 'times.to', 'NaN');
    expectParameterError(() => timeGrid({ from: 1, to: 10, count: 0 }), 'times.count', '0');
    expectParameterError(() => timeGrid({ from: 1, to: 10, count: Infinity }), 'times.count', 'Infinity');
    expectParameterError(() => timeGrid({ from: 1, to: 10, count: 3, spacing: 'geo' } as never), 'times.spacing', '"geo"');
    expectParameterError(() => timeGrid({ from: 1, to: 10, cont: 3 } as never), 'cont', '3', /did you mean 'count'/);
    expectParameterError(() => timeGrid([2, 1]), 'times', 'array of length 2', /strictly increasing/);
    expectParameterError(() => timeGrid([0, 0.5], { steps: true }), 'times', undefined, /integer/);
    expectParameterError(() => timeGrid('log:1:100'), 'times', '"log:1:100"');
    expectParameterError(() => timeGrid(5 as never), 'options', '5');
    expectParameterError(() => timeGrid(null as never), 'options', 'null');
    expectParameterError(() => timeGrid(undefined as never), 'times.from', 'undefined');
  });

  it('never produces non-finite times, and keeps the requested endpoints', () => {
    for (const spec of [
      { from: 1e-300, to: 1e300, count: 5 }, { from: 5e-324, to: 1.7e308, count: 5 }, { from: 1e-10, to: 1e10, count: 3 },
      { from: 0, to: 1.7e308, count: 5, spacing: 'linear' as const },
    ]) {
      let grid: Float64Array;
      try {
        grid = timeGrid(spec);
      } catch (error) {
        expect(error, JSON.stringify(spec)).toBeInstanceOf(ParameterError);
        continue;
      }
      expectAllFinite(grid, JSON.stringify(spec));
      expect(grid[0]).toBe(spec.from);
      expect(grid[grid.length - 1]).toBe(spec.to);
      expect(grid.length).toBe(spec.count);
    }
  });
});
