// The command line, run as users run it: `node dist/cli.js <command> ...` (the build comes from
// `npm run build`, which `npm test` runs first). Numbers are checked against an independent
// plain-TypeScript loop of the exact SGD second-moment recursion (CONVENTIONS.md), the output
// formats against each other, --help against the command table, and bad input against the
// documented contract: exit code 2 and one line on stderr naming the option in kebab-case.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kebab } from '../src/cli/arguments.js';
import { commands } from '../src/cli/commands.js';
import { cli, json } from './cli-runner.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));


/** Largest relative difference of two arrays. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, b[i] === 0 ? Math.abs(a[i]) : Math.abs(a[i] - b[i]) / Math.abs(b[i]));
  return worst;
}

/**
 * The exact SGD second-moment recursion, written out independently of src/: with
 * d_k = E[v_k^2], l_k = k^-alpha, initial l_k d_k = p_k = k^-(alpha beta + 1),
 * d_k <- [(1 - eta l_k)^2 + eta^2 l_k^2 / B] d_k + (eta^2 / B) l_k (L + sigma^2), L = sum_k l_k d_k.
 * Returns L at every step 0..lastStep.
 */
function sgdReference(alpha: number, beta: number, modes: number, eta: number, batch: number, sigma2: number, lastStep: number): Float64Array {
  const l = new Float64Array(modes);
  const d = new Float64Array(modes);
  for (let k = 1; k <= modes; k++) {
    l[k - 1] = k ** -alpha;
    d[k - 1] = k ** -(alpha * beta + 1) / l[k - 1];
  }
  const losses = new Float64Array(lastStep + 1);
  const lossOf = () => {
    let sum = 0;
    for (let k = 0; k < modes; k++) sum += l[k] * d[k];
    return sum;
  };
  losses[0] = lossOf();
  for (let n = 1; n <= lastStep; n++) {
    const drive = losses[n - 1] + sigma2;
    for (let k = 0; k < modes; k++) {
      d[k] = ((1 - eta * l[k]) ** 2 + eta * eta * l[k] * l[k] / batch) * d[k] + (eta * eta / batch) * l[k] * drive;
    }
    losses[n] = lossOf();
  }
  return losses;
}

const EXAMPLE = ['lazy', '--alpha', '1.5', '--beta', '0.5', '--modes', '2000', '--optimizer', 'sgd', '--learning-rate', '0.5', '--batch-size', '4'];
const EXAMPLE_TIMES = [0, 10, 100, 1000];
let reference: Float64Array;
let example: Record<string, any>;
let scratch: string;

beforeAll(async () => {
  expect(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first').toBe(true);
  reference = sgdReference(1.5, 0.5, 2000, 0.5, 4, 0, 1001);
  example = await json(...EXAMPLE, '--times', EXAMPLE_TIMES.join(','));
  scratch = mkdtempSync(join(tmpdir(), 'scaling-dynamics-cli-'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe.concurrent('lazy', () => {
  it('the documented example prints one JSON object with times, loss and meta that match the exact recursion to 1e-12', async () => {
    expect(Object.keys(example)).toEqual(expect.arrayContaining(['times', 'loss', 'localExponent', 'meta']));
    expect(example.times).toEqual(EXAMPLE_TIMES);
    const expected = EXAMPLE_TIMES.map((n) => reference[n]);
    expect(relativeError(example.loss, expected)).toBeLessThanOrEqual(1e-12);
    // the local exponent is the central difference -n (L(n+1) - L(n-1)) / (2 L(n)), 0 at n = 0
    const exponents = EXAMPLE_TIMES.map((n) => (n === 0 ? 0 : -n * (reference[n + 1] - reference[n - 1]) / (2 * reference[n])));
    expect(example.localExponent[0]).toBe(0);
    expect(relativeError(example.localExponent.slice(1), exponents.slice(1))).toBeLessThan(1e-9);
    // meta: the parameters after defaults, the conventions, the engine, the stability sum
    expect(example.meta).toMatchObject({
      solver: 'lazy',
      timeUnit: 'steps',
      parameters: { alpha: 1.5, beta: 0.5, modes: 2000, optimizer: 'sgd', learningRate: 0.5, batchSize: 4, labelNoise: 0, includeNoise: false },
      spectrum: { kind: 'power-law', representedModes: 2000, exactModes: 2000, errorEstimate: 0 },
      theory: { lazyExponent: 0.5, taskDifficulty: 'hard' },
    });
    expect(example.meta.conventions).toContain('CONVENTIONS.md');
    expect(['wasm-simd', 'wasm', 'js']).toContain(example.meta.engine);
    let stability = 0;
    for (let k = 1; k <= 2000; k++) {
      const h = 0.5 * k ** -1.5;
      stability += h / (4 * (2 - h * (1 + 1 / 4)));
    }
    expect(example.meta.stabilitySum).toBeCloseTo(stability, 12);
  });

  it('label noise enters the recursion and, with --include-noise, the reported loss', async () => {
    const result = await json(...EXAMPLE, '--label-noise', '0.1', '--include-noise', '--times', '0,10,100');
    const noisy = sgdReference(1.5, 0.5, 2000, 0.5, 4, 0.1, 100);
    expect(relativeError(result.loss, [0, 10, 100].map((n) => noisy[n] + 0.1))).toBeLessThanOrEqual(1e-12);
  });

  it("--times accepts 'log:FROM:TO:COUNT' and 'linear:FROM:TO:COUNT'", async () => {
    const log = await json(...EXAMPLE, '--times=log:1:1000:4');
    expect(log.times).toHaveLength(4);
    expect(log.times.map(Math.round)).toEqual([1, 10, 100, 1000]);
    expect(relativeError(log.loss, log.times.map((n: number) => reference[n]))).toBeLessThanOrEqual(1e-12);
    const linear = await json(...EXAMPLE, '--times', 'linear:0:1000:5');
    expect(linear.times).toEqual([0, 250, 500, 750, 1000]);
    expect(relativeError(linear.loss, linear.times.map((n: number) => reference[n]))).toBeLessThanOrEqual(1e-12);
  });

  it('--modes 1e6 matches the exact recursion over 1e6 modes; --modes Infinity adds the frozen tail beyond', async () => {
    const withoutModes = EXAMPLE.filter((a, i) => !(a === '--modes' || EXAMPLE[i - 1] === '--modes'));
    const [infinite, million] = await Promise.all([
      json(...withoutModes, '--modes', 'Infinity', '--times', '0,10,100'),
      json(...withoutModes, '--modes', '1e6', '--times', '0,10,100'),
    ]);
    expect(infinite.meta.parameters.modes).toBe('Infinity'); // non-finite numbers are written as strings
    expect(million.meta.parameters.modes).toBe(1e6);
    for (const result of [infinite, million]) {
      expect(result.meta.spectrum.tailNodes + result.meta.spectrum.quadratureNodes).toBeGreaterThan(0);
      expect(result.meta.spectrum.errorEstimate).toBeLessThan(1e-9);
    }
    // head + quadrature + tail against the recursion summed over all 1e6 modes
    const exact = sgdReference(1.5, 0.5, 1e6, 0.5, 4, 0, 100);
    expect(relativeError(million.loss, [exact[0], exact[10], exact[100]])).toBeLessThan(1e-8);
    // zeta(1.75) = 1.96232009945126 at step 0
    expect(Math.abs(infinite.loss[0] / 1.96232009945126 - 1)).toBeLessThan(1e-9);
    // The modes beyond M = 1e6 stay frozen (eta lambda_k n < 1e-7) and hold (M + 1/2)^-0.75 / 0.75 = 4.2170e-5;
    // through L they also drive the noise of the fast modes, which adds at most a factor 1 / (1 - stabilitySum).
    const frozenTail = (1e6 + 0.5) ** -0.75 / 0.75;
    const amplification = 1 / (1 - infinite.meta.stabilitySum);
    expect((infinite.loss[0] - million.loss[0]) / frozenTail).toBeCloseTo(1, 5);
    for (let j = 1; j < 3; j++) {
      const ratio = (infinite.loss[j] - million.loss[j]) / frozenTail;
      expect(ratio).toBeGreaterThan(1);
      expect(ratio).toBeLessThan(amplification);
    }
    // and beyond the 2000-mode head of the example: ~ 2000.5^-0.75 / 0.75 = 0.0044 at step 0
    expect(infinite.loss[0] - reference[0]).toBeCloseTo(2000.5 ** -0.75 / 0.75, 6);
  });

  it('--engine js agrees with the default engine to 1e-12', async () => {
    const js = await json(...EXAMPLE, '--times', EXAMPLE_TIMES.join(','), '--engine', 'js');
    expect(js.meta.engine).toBe('js');
    expect(relativeError(js.loss, example.loss)).toBeLessThanOrEqual(1e-12);
    expect(relativeError(js.localExponent.slice(1), example.localExponent.slice(1))).toBeLessThanOrEqual(1e-9);
  });

  it('--csv prints a header and one row per time, equal to the JSON numbers; --svg FILE writes an SVG plot', async () => {
    const file = join(scratch, 'lazy.svg');
    const run = await cli(...EXAMPLE, '--times', EXAMPLE_TIMES.join(','), '--csv', '--svg', file);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('times,loss,localExponent');
    expect(lines).toHaveLength(1 + EXAMPLE_TIMES.length);
    const rows = lines.slice(1).map((line) => line.split(',').map(Number));
    expect(rows.map((row) => row[0])).toEqual(EXAMPLE_TIMES);
    expect(rows.map((row) => row[1])).toEqual(example.loss);
    expect(rows.map((row) => row[2])).toEqual(example.localExponent);
    const svg = readFileSync(file, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toMatch(/<(path|polyline)/);
  });

  it('prints a table by default', async () => {
    const run = await cli(...EXAMPLE, '--times', '0,10');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0].trim().split(/\s+/)).toEqual(['times', 'loss', 'localExponent']);
    expect(lines).toHaveLength(3);
    expect(Number(lines[2].trim().split(/\s+/)[1])).toBeCloseTo(reference[10], 6);
  });

  it('--time-limit aborts a long run with exit code 3 and one line on stderr', async () => {
    const run = await cli('lazy', '--alpha', '1.5', '--beta', '0.5', '--modes', 'Infinity', '--optimizer', 'sgd', '--learning-rate', '0.5',
      '--batch-size', '4', '--times', '0,100000000', '--time-limit', '5');
    expect(run.status).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/time ?limit/i);
  });
});

describe.concurrent('--help', () => {
  it('lazy --help lists every option of the command with a description of its range', async () => {
    const run = await cli('lazy', '--help');
    expect(run.status).toBe(0);
    const described = new Map<string, string>();
    for (const line of run.stdout.split('\n')) {
      const match = /^\s+(--[a-z-]+)(?: <value>)?\s+(.*)$/.exec(line);
      if (match) described.set(match[1], match[2]);
    }
    const options = commands.lazy.options;
    expect(options.length).toBeGreaterThan(10);
    for (const option of options) {
      const flag = `--${kebab(option.name)}`;
      expect(described.has(flag), `${flag} is listed`).toBe(true);
      const text = described.get(flag)!;
      expect(text).toBe(option.help);
      if (option.kind !== 'boolean') {
        // a range or the accepted forms: > 0, >= 1, 16..2^27, a | b, integer, log:FROM:TO:COUNT
        expect(text, `${flag}: ${text}`).toMatch(/[<>]=?\s*-?\d|\.\.|\||integer|:FROM:TO:/);
      }
    }
    for (const flag of ['--json', '--csv', '--svg', '--help']) expect(described.has(flag), flag).toBe(true);
    // every API option of lazy() except the callbacks is on the command line
    for (const name of ['alpha', 'beta', 'modes', 'leadingEigenvalue', 'targetScale', 'eigenvalues', 'targetPower', 'headModes', 'optimizer',
      'learningRate', 'batchSize', 'labelNoise', 'weightDecay', 'includeNoise', 'times', 'recordModes', 'engine', 'timeLimit']) {
      expect(described.has(`--${kebab(name)}`), name).toBe(true);
    }
  });

  it('the usage lists every command, and other commands have --help too', async () => {
    const [usage, convert] = await Promise.all([cli('--help'), cli('convert', '--help')]);
    expect(usage.status).toBe(0);
    for (const name of [...Object.keys(commands), 'demo']) expect(usage.stdout).toContain(`  ${name} `);
    expect(convert.status).toBe(0);
    for (const option of commands.convert.options) expect(convert.stdout, option.name).toContain(`--${kebab(option.name)}`);
  });
});

describe.concurrent('bad input: exit code 2 and one line on stderr naming the option', () => {
  const P = ['--alpha', '1.5', '--beta', '0.5'];
  // [label, arguments, the option named first on the line, text the line must also hold]
  const cases: [string, string[], string, string?][] = [
    ['unknown option', ['lazy', ...P, '--alpah', '2'], '--alpah', 'did you mean --alpha?'],
    ['unknown option in camelCase', ['lazy', ...P, '--learningRate', '0.5'], '--learningRate', 'did you mean --learning-rate?'],
    ['batch size 0', ['lazy', ...P, '--optimizer', 'sgd', '--learning-rate', '0.5', '--batch-size', '0'], '--batch-size', 'batchSize = 0'],
    ['alpha nan', ['lazy', '--alpha', 'nan', '--beta', '0.5'], '--alpha', '"nan"'],
    ['missing value', ['lazy', '--beta', '0.5', '--alpha'], '--alpha'],
    ['missing required option', ['lazy', ...P, '--optimizer', 'sgd', '--batch-size', '4'], '--learning-rate'],
    ['repeated option', ['lazy', ...P, '--alpha', '2'], '--alpha'],
    ['bad times', ['lazy', ...P, '--times', '3,2,1'], '--times', 'strictly increasing'],
    ['bad list entry', ['lazy', '--eigenvalues', '1,x', '--target-power', '1,1'], '--eigenvalues', '"x"'],
    ['bad boolean', ['lazy', ...P, '--include-noise=maybe'], '--include-noise'],
    ['beta 0 in task-difficulty', ['task-difficulty', '--alpha', '2', '--beta', '0'], '--beta'],
    ['no plot for --svg', ['task-difficulty', '--alpha', '2', '--beta', '1', '--svg', join(tmpdir(), 'never-written.svg')], '--svg'],
  ];
  it.each(cases)('%s', async (_label, args, option, detail) => {
    const run = await cli(...args);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    // the line names the option first, as typed on the command line
    expect(lines[0]).toMatch(new RegExp(`^scaling-dynamics: error: ${option.replace(/[-]/g, '\\-')}[:.]`));
    if (detail) expect(lines[0]).toContain(detail);
  });

  it('an unknown command exits with code 2 and one line naming it', async () => {
    const run = await cli('frobnicate', '--alpha', '1');
    expect(run.status).toBe(2);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('frobnicate');
    expect(lines[0]).toContain('lazy');
  });
});

describe.concurrent('other commands', () => {
  it('demo runs, writes its SVG where --svg says and prints fitted exponents near beta = 0.5', async () => {
    const file = join(scratch, 'demo.svg');
    const run = await cli('demo', '--svg', file);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(run.stdout).toContain(`plot written to ${file}`);
    expect(run.stdout).toContain('fitted exponent');
    const fits = [...run.stdout.matchAll(/^\s+(gradient flow.*?|SGD B = \d+)\s+(-?\d+\.\d+) ± (\d+\.\d+)\s*$/gm)];
    expect(fits.map((fit) => fit[1].trim())).toEqual(['gradient flow (t = eta n)', 'SGD B = 1', 'SGD B = 16']);
    for (const fit of fits) {
      expect(Math.abs(Number(fit[2]) - 0.5), fit[0]).toBeLessThan(0.02);
      expect(Number(fit[3])).toBeLessThan(0.01);
    }
  });

  it('power-law --json lists eigenvalues and target power with the task class', async () => {
    const result = await json('power-law', '--alpha', '2', '--beta', '0.5', '--modes', '4', '--leading-eigenvalue', '3', '--target-scale', '2');
    expect(result.eigenvalues).toEqual([1, 2, 3, 4].map((k) => 3 * k ** -2));
    expect(result.targetPower).toEqual([1, 2, 3, 4].map((k) => 2 * k ** -2));
    expect(result.taskDifficulty).toMatchObject({ difficulty: 'hard', hardBoundary: 1, superEasyBoundary: 1.5 });
  });

  it('task-difficulty --json classifies the task', async () => {
    expect(await json('task-difficulty', '--alpha', '2', '--beta', '1.2')).toEqual({ difficulty: 'easy', hardBoundary: 1, superEasyBoundary: 1.5, onBoundary: false });
  });

  it('convert --json round-trips all three notations', async () => {
    const [fromPackage, bordelon, paquette, kramp] = await Promise.all([
      json('convert', '--alpha', '2', '--beta', '0.5'),
      json('convert', '--a', '2', '--b', '2'),
      json('convert', '--alpha-p', '1', '--beta-p', '0'),
      json('convert', '--alpha-k', '1'),
    ]);
    // alpha = 2, beta = 0.5 in every notation; Kramp et al.'s teacher from the prior has beta = 1 - 1/alpha
    expect(fromPackage).toEqual({
      alpha: 2, beta: 0.5, bordelon2024: { a: 2, b: 2 }, paquette2024: { alphaP: 1, betaP: 0 },
      kramp2026: { alphaK: 1, teacherFromPrior: true }, taskDifficulty: 'hard', lazyTimeExponent: 0.5,
    });
    expect(bordelon).toEqual(fromPackage);
    expect(paquette).toEqual(fromPackage);
    expect(kramp).toEqual(fromPackage);
  });
});
