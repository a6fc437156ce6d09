// `scaling-dynamics random-features` and `compute-optimal --model-sizes` (src/cli/random-features-command.ts),
// tested through the commands' run() on parsed arguments, plus one end-to-end run of the built dist/cli.js:
// the paper's central claim (rich hard-task exponent 2 beta/(1 + beta) beside lazy beta, spec F13),
// Infinity in lists and times, the numerical frontier beside Table 1, plots and errors.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseArguments } from '../../src/cli/arguments.js';
import { commands } from '../../src/cli/commands.js';
import { runRandomFeatures } from '../../src/cli/random-features-command.js';
import { lineChart } from '../../src/plot/svg.js';
import { cli } from '../cli-runner.js';
import { initEngines, modelBottleneck, ParameterError } from '../helpers.js';

beforeAll(initEngines);

const parse = (name: string, argv: string[]) => parseArguments(argv, commands[name].options);

describe('scaling-dynamics random-features', () => {
  it('reproduces the central claim: rich exponent ~ 2 beta/(1 + beta) next to lazy beta (alpha 3, beta 0.5)', () => {
    // The README command. Lazy: closed form, exponent 0.5 to 1e-3. Rich: Markovian ODE (modes =
    // Infinity: exact head + quadrature), fitted over tau = 100..1e4; spec F13 tolerance +-0.04
    // (the rich exponent approaches 0.667 from below, ~0.651 here).
    const options = parse('random-features', ['--alpha', '3', '--beta', '0.5', '--modes', 'Infinity', '--feature-learning', '0,1', '--model-size', 'Infinity',
      '--batch-size', 'Infinity', '--times', 'log:1:1e4:60']);
    const output = runRandomFeatures(options);
    const [lazy, rich] = output.curves;
    expect(lazy.result.meta.method).toBe('lazy');
    expect(rich.result.meta.method).toBe('markov');
    expect(Math.abs((lazy.fit?.exponent ?? NaN) - 0.5)).toBeLessThan(1e-3);
    expect(Math.abs((rich.fit?.exponent ?? NaN) - 2 / 3)).toBeLessThan(0.04);
    expect(rich.fit!.exponent - lazy.fit!.exponent).toBeGreaterThan(0.1);
    expect(output.summary.join('\n')).toMatch(/γ = 1 .*fitted exponent 0\.6\d+ ± .*theory chi\(beta\).*0\.6667/);
    expect(Object.keys(output.curve ?? {})).toEqual(['times', 'loss_Ninf_gamma0', 'loss_Ninf_gamma1']);
    const svg = lineChart(output.plot!.series, { title: output.plot!.title });
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('rich theory');
  });

  it('accepts Infinity in --model-size lists and as the last time (the kappa plateau)', () => {
    const options = parse('random-features', ['--alpha', '2', '--beta', '0.5', '--modes', '1024', '--model-size', '32,64', '--times', '1,100,Infinity', '--seeds', '4']);
    expect(options.modelSize).toEqual([32, 64]);
    const output = runRandomFeatures(options);
    output.curves.forEach((curve, index) => {
      const n = [32, 64][index];
      expect(curve.result.meta.method).toBe('feature-space');
      expect(curve.result.loss[2]).toBe(modelBottleneck({ alpha: 2, beta: 0.5, modes: 1024, modelSize: n }).loss);
    });
  });

  it('steps need a learning rate; steps and times exclude each other', () => {
    expect(() => runRandomFeatures(parse('random-features', ['--alpha', '2', '--beta', '0.5', '--steps', '1,10']))).toThrow(/learningRate/);
    expect(() => runRandomFeatures(parse('random-features', ['--alpha', '2', '--beta', '0.5', '--steps', '1,10', '--times', '1,10']))).toThrow(ParameterError);
    expect(() => parse('random-features', ['--alpha', '2', '--model-size', 'many'])).toThrow(/modelSize/);
    const steps = runRandomFeatures(parse('random-features', ['--alpha', '2', '--beta', '0.5', '--modes', '64', '--learning-rate', '0.5', '--steps', '2,4', '--feature-learning', '1']));
    expect(Array.from(steps.curves[0].result.flowTime)).toEqual([1, 2]);
  });
});

describe('scaling-dynamics compute-optimal --model-sizes', () => {
  it('adds the numerical envelope and its fitted slope beside the closed form; plain calls are unchanged', () => {
    const plain = commands['compute-optimal'].run(parse('compute-optimal', ['--alpha', '2', '--beta', '0.5', '--feature-learning', '0']));
    expect(Object.keys(plain)).toEqual(['value']);
    const output = commands['compute-optimal'].run(parse('compute-optimal', ['--alpha', '2', '--beta', '0.5', '--feature-learning', '0',
      '--model-sizes', '8,16,32,64', '--modes', '512', '--times', 'log:0.1:1e4:81', '--seeds', '2'])) as ReturnType<typeof commands['compute-optimal']['run']> & { summary: string[] };
    const value = output.value as Record<string, any>;
    expect(value.lossExponent).toBeCloseTo(1 / 3, 12);
    expect(value.numerical.fit.exponent).toBeGreaterThan(0.2);
    expect(value.numerical.fit.exponent).toBeLessThan(0.45);
    expect(value.numerical.theory.lossExponent).toBeCloseTo(1 / 3, 12);
    expect(output.summary[0]).toMatch(/L\*\(C\) ~ C\^-0\.\d+ ± /);
    expect(output.svgDocument!()).toContain('envelope min_N L(C/N, N)');
    expect(() => commands['compute-optimal'].run(parse('compute-optimal', ['--alpha', '2', '--beta', '0.5', '--feature-learning', '0', '--modes', '512']))).toThrow(/modelSizes/);
  });
});

// The built CLI end to end (npm test builds dist/ first): the README's central-claim command
// prints the table and then the fitted exponents, and writes the plot.
describe('dist/cli.js random-features', () => {
  it('prints the loss table and the fitted exponents (lazy beta, rich ~ 2 beta/(1 + beta)) and writes the SVG', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'random-features-'));
    try {
      const svg = join(folder, 'plot.svg');
      const run = await cli('random-features', '--alpha', '3', '--beta', '0.5', '--modes', 'Infinity', '--feature-learning', '0,1', '--times', 'log:1:1e4:60', '--svg', svg);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const exponents = [...run.stdout.matchAll(/fitted exponent (\d\.\d+) ±/g)].map((match) => Number(match[1]));
      expect(exponents).toHaveLength(2);
      expect(Math.abs(exponents[0] - 0.5)).toBeLessThan(1e-3);
      expect(Math.abs(exponents[1] - 2 / 3)).toBeLessThan(0.04);
      expect(readFileSync(svg, 'utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
