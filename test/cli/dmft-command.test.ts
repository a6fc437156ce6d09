// The `dmft` and `double-descent` CLI commands (src/cli/dmft-command.ts, double-descent-command.ts).
// The shared runner (test/cli-runner.ts) runs the built dist/cli.js, which parallel work cannot
// rebuild, so these tests drive each command's run() through the CLI's own argument parser (exactly
// what src/cli/main.ts does between parsing and printing); one smoke test runs the built dist/cli.js.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseArguments } from '../../src/cli/arguments.js';
import { commands } from '../../src/cli/commands.js';
import { dmftCommand } from '../../src/cli/dmft-command.js';
import { doubleDescentCommand } from '../../src/cli/double-descent-command.js';
import { lineChart } from '../../src/plot/svg.js';
import { toPlain } from '../../src/result.js';
import { cli } from '../cli-runner.js';
import { dmft, initEngines, ParameterError } from '../helpers.js';

beforeAll(initEngines);

/** Parses argv with the command's table and runs it, as main.ts does (output flags stripped). */
function run(command: typeof dmftCommand, ...argv: string[]) {
  const options = parseArguments(argv, command.options);
  return command.run(options);
}

const BASE = ['--alpha', '2', '--beta', '0.5', '--modes', '2000', '--data-size', '200', '--label-noise', '0.1', '--times', 'log:10:1e6:13'];

describe('dmft command', () => {
  it('is registered as `dmft` and `double-descent`', () => {
    expect(commands.dmft).toBe(dmftCommand);
    expect(commands['double-descent']).toBe(doubleDescentCommand);
  });

  it('--json prints exactly times, loss, trainLoss, bias, variance, varianceParts, equilibrium, earlyStopping, meta', () => {
    const plain = toPlain(run(dmftCommand, ...BASE, '--early-stopping').value) as Record<string, any>;
    expect(Object.keys(plain)).toEqual(['times', 'loss', 'trainLoss', 'bias', 'variance', 'varianceParts', 'equilibrium', 'earlyStopping', 'meta']);
    expect(Object.keys(plain.varianceParts)).toEqual(['data', 'labelNoise', 'thermal', 'initialisation']);
    expect(Object.keys(plain.earlyStopping)).toEqual(['time', 'loss']);
    expect(plain.times).toHaveLength(13);
    expect(JSON.parse(JSON.stringify(plain))).toEqual(plain);
    const without = toPlain(run(dmftCommand, ...BASE).value) as Record<string, any>;
    expect(without.earlyStopping).toBeNull();
  });

  it('every kebab-case option reaches the API under its camelCase name (same numbers as dmft())', () => {
    const argv = ['--alpha', '1.5', '--beta', '0.4', '--modes', '500', '--model-size', '300', '--data-size', '100', '--weight-decay', '1e-3',
      '--temperature', '1e-4', '--label-noise', '0.05', '--init-variance', '0.2', '--times', '1,10,100', '--talbot-nodes', '32', '--engine', 'js', '--include-noise'];
    const value = run(dmftCommand, ...argv).value as Record<string, any>;
    const direct = dmft({
      alpha: 1.5, beta: 0.4, modes: 500, modelSize: 300, dataSize: 100, weightDecay: 1e-3, temperature: 1e-4, labelNoise: 0.05,
      initVariance: 0.2, times: [1, 10, 100], talbotNodes: 32, engine: 'js', includeNoise: true,
    });
    expect(Array.from(value.loss)).toEqual(Array.from(direct.loss));
    expect(value.meta.parameters).toEqual(direct.meta.parameters);
  });

  it('custom spectra: --eigenvalues and --target-power', () => {
    const value = run(dmftCommand, '--eigenvalues', '1,0.5,0.25,0.125', '--target-power', '1,0.25,0,0.01', '--data-size', '3', '--times', '0,1').value as Record<string, any>;
    // t = 0: the loss is the total target power (no noise, w(0) = 0): exact
    expect(value.loss[0]).toBeCloseTo(1.26, 9);
  });

  it('infinite data: the curve is the lazy closed form sum_k p_k e^(-2 lambda_k t) (CONVENTIONS.md) up to O(N/P)', () => {
    const value = run(dmftCommand, '--alpha', '1.5', '--beta', '0.5', '--modes', '50', '--data-size', String(2 ** 26), '--times', '1,10,100').value as Record<string, any>;
    [1, 10, 100].forEach((t, j) => {
      let expected = 0;
      for (let k = 1; k <= 50; k++) expected += k ** -1.75 * Math.exp(-2 * k ** -1.5 * t);
      // finite-P correction ~ N/P = 7e-7 relative; 1e-5
      expect(Math.abs(value.loss[j] / expected - 1)).toBeLessThan(1e-5);
    });
  });

  it('the table has the curves, the variance parts and the local exponent', () => {
    const curve = run(dmftCommand, ...BASE).curve!;
    expect(Object.keys(curve)).toEqual(['times', 'loss', 'trainLoss', 'bias', 'variance', 'dataVariance', 'noiseVariance', 'thermalVariance', 'initVariance', 'localExponent']);
  });

  it('--svg: bias-variance curves with the early-stopping point marked (only when located)', () => {
    const output = run(dmftCommand, ...BASE, '--early-stopping');
    const svg = output.svgDocument!();
    const stop = (output.value as { earlyStopping: { time: number; loss: number } }).earlyStopping;
    for (const label of ['test loss', 'bias', 'variance', 'data variance', 'label-noise variance']) expect(svg).toContain(`>${label}</text>`);
    expect(svg).not.toContain('>thermal variance<'); // zero parts are left out
    expect(svg).toContain(`early stopping t* = ${stop.time.toPrecision(4)}`);
    expect(svg.match(/<circle /g)).toHaveLength(1);
    expect(run(dmftCommand, ...BASE).svgDocument!()).not.toContain('<circle ');
  });

  it('bad input: ParameterError naming the option (main.ts prints it in kebab-case and exits with 2)', () => {
    const cases: [string[], string][] = [
      [['--alpha', '2', '--beta', '0.5', '--data-size', '-1'], 'dataSize'],
      [['--alpha', '2', '--beta', '0.5', '--data-size', '10', '--temperature', '-1'], 'temperature'],
      [['--alpha', '2', '--beta', '0.5', '--data-size', '10', '--talbot-nodes', '7'], 'talbotNodes'],
      [['--alpha', '2', '--beta', '0.5', '--data-size', '10', '--times', 'log:0:1:3'], 'times.from'],
      [['--alpha', '2', '--beta', '0.5', '--datasize', '10'], '--datasize'],
    ];
    for (const [argv, parameter] of cases) {
      let caught: unknown;
      try { run(dmftCommand, ...argv); } catch (error) { caught = error; }
      expect(caught, argv.join(' ')).toBeInstanceOf(ParameterError);
      expect((caught as ParameterError).parameter).toBe(parameter);
    }
  });
});

describe('double-descent command', () => {
  it('sweeps --model-sizes (list or grid) and --weight-decays, with the parts and an SVG', () => {
    const output = run(doubleDescentCommand, '--alpha', '1.5', '--beta', '0.5', '--modes', '1000', '--data-size', '100', '--label-noise', '0.1', '--model-sizes', '25,50,75,150,400');
    const value = output.value as Record<string, any>;
    expect(value.sweep).toBe('modelSize');
    expect(Array.from(value.ratio)).toEqual([0.25, 0.5, 0.75, 1.5, 4]);
    expect(Object.keys(output.curve!)).toEqual(['times', 'ratio', 'loss', 'ridgeLoss', 'bias', 'variance', 'dataVariance', 'noiseVariance', 'thermalVariance', 'initVariance']);
    expect(output.svgDocument!()).toContain('N / P');
    const grid = run(doubleDescentCommand, '--alpha', '1.5', '--beta', '0.5', '--data-size', '100', '--model-sizes', 'log:10:1000:5').value as Record<string, any>;
    expect(Array.from(grid.values)).toEqual([10, 32, 100, 316, 1000]);
    const ridge = run(doubleDescentCommand, '--alpha', '1.5', '--beta', '0.5', '--data-size', '100', '--weight-decays', '0,1e-3,1e-2').value as Record<string, any>;
    expect(ridge.sweep).toBe('weightDecay');
    expect(ridge.loss).toHaveLength(3);
  });

  it('needs exactly one sweep', () => {
    expect(() => run(doubleDescentCommand, '--alpha', '1.5', '--beta', '0.5', '--data-size', '100')).toThrow(ParameterError);
  });
});

describe('lineChart markers and legend placement (src/plot/svg.ts extension)', () => {
  const series = [{ label: 'L', x: [1, 10, 100], y: [1, 0.1, 0.5] }];
  it('without markers and with the default legend the chart is unchanged', () => {
    const plain = lineChart(series, { title: 't' });
    expect(lineChart(series, { title: 't', markers: [] })).toBe(plain);
    expect(lineChart(series, { title: 't', legend: 'inside' })).toBe(plain);
    expect(plain).not.toContain('<circle');
  });
  it('a marker is a circle at its point with its label; points off a log axis are skipped', () => {
    const svg = lineChart(series, { markers: [{ label: 'minimum', x: 10, y: 0.1 }, { label: 'bad', x: -1, y: 1 }] });
    expect(svg.match(/<circle /g)).toHaveLength(1);
    expect(svg).toContain('>minimum</text>');
    expect(svg).not.toContain('>bad</text>');
    // the marker sits on the polyline's middle vertex
    const vertex = /points="[^ ]+ ([\d.]+),([\d.]+) /.exec(svg)!;
    expect(svg).toContain(`cx="${vertex[1]}" cy="${vertex[2]}"`);
  });
});

// The built CLI (npm test builds dist/ first).
describe('dist/cli.js dmft', () => {
  it('prints one JSON object with the documented keys; a bad option exits with 2 naming it', async () => {
    const ok = await cli('dmft', ...BASE, '--early-stopping', '--json');
    expect(ok.status).toBe(0);
    expect(Object.keys(JSON.parse(ok.stdout))).toEqual(['times', 'loss', 'trainLoss', 'bias', 'variance', 'varianceParts', 'equilibrium', 'earlyStopping', 'meta']);
    const bad = await cli('dmft', '--alpha', '2', '--beta', '0.5', '--data-size', '0');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--data-size');
  });
});
