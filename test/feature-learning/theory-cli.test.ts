// The closed-form theory on the command line (`node dist/cli.js exponents | compute-optimal`, built
// by `npm run build`): values against Table 1 of feature-learning.md §3.9 and §0, the help text, and
// bad input against the documented contract (exit code 2, one stderr line naming the kebab-case option).
import { describe, expect, it } from 'vitest';
import { cli, json } from '../cli-runner.js';


describe('scaling-dynamics exponents', () => {
  it('hard task: lazy beta, rich 2 beta/(1 + beta), bottleneck exponents, phase', async () => {
    const [lazy, rich] = await Promise.all([
      json('exponents', '--alpha', '2', '--beta', '0.5', '--feature-learning', '0'),
      json('exponents', '--alpha=2', '--beta=0.5', '--feature-learning=1'),
    ]);
    expect(lazy).toMatchObject({ regime: 'lazy', timeExponent: 0.5, modelExponent: 1, dataExponent: 1, paquettePhase: 'I' });
    expect(lazy.taskDifficulty.difficulty).toBe('hard');
    expect(lazy.computeOptimal.lossExponent).toBeCloseTo(1 / 3, 12);
    expect(rich.regime).toBe('rich');
    expect(rich.timeExponent).toBeCloseTo(2 / 3, 12);
    expect(rich.computeOptimal.lossExponent).toBeCloseTo(0.4, 12);
    expect(rich.crossover).toMatchObject({ applies: true, time: 1, timeScalingExponent: -2 });
  });

  it('easy task: exact model exponent alpha min(1, beta) = 3 beside the printed 4.5', async () => {
    const easy = await json('exponents', '--alpha', '3', '--beta', '1.5', '--feature-learning', '1');
    expect(easy).toMatchObject({ timeExponent: 1.5, modelExponent: 3, printedModelExponent: 4.5, dataExponent: 4.5, paquettePhase: 'II' });
    expect(easy.crossover).toMatchObject({ applies: false, time: null });
  });

  it('prints the same JSON, indented, without --json', async () => {
    const run = await cli('exponents', '--alpha', '3', '--beta', '0.5', '--feature-learning', '1');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).computeOptimal.lossExponent).toBeCloseTo(6 / 13, 12);
  });
});

describe('scaling-dynamics compute-optimal', () => {
  it('Table 1 values (check F4) and C^a, C^b, C^-r at --compute', async () => {
    const [hard, easy, superEasy, budget] = await Promise.all([
      json('compute-optimal', '--alpha', '1.5', '--beta', '0.5', '--feature-learning', '0.5'),
      json('compute-optimal', '--alpha', '2', '--beta', '1.25', '--feature-learning', '0'),
      json('compute-optimal', '--alpha', '2', '--beta', '2', '--feature-learning', '1'),
      json('compute-optimal', '--alpha', '2', '--beta', '0.5', '--feature-learning', '0', '--compute', '1e6,1e9'),
    ]);
    expect(hard.lossExponent).toBeCloseTo(6 / 17, 12);
    expect(hard).toMatchObject({ regime: 'rich', lazyLossExponent: 0.3 });
    expect(easy.lossExponent).toBeCloseTo(5 / 7, 12);
    expect(superEasy).toMatchObject({ lossExponent: 0.75, modelSizeExponent: 0.5, timeExponent: 0.5, paquettePhase: 'III' });
    expect(budget.compute).toEqual([1e6, 1e9]);
    expect(budget.modelSizeScale[0]).toBeCloseTo(100, 9);
    expect(budget.timeScale[1]).toBeCloseTo(1e6, 3);
    expect(budget.lossScale[0]).toBeCloseTo(0.01, 12);
  });

  it('--help says the numerical frontier belongs to a later solver', async () => {
    const run = await cli('compute-optimal', '--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--feature-learning <value>');
    expect(run.stdout).toContain('--compute <value>');
    expect(run.stdout).toMatch(/numerical frontier .* not computed here/);
    const usage = await cli('--help');
    expect(usage.stdout).toContain('  exponents ');
    expect(usage.stdout).toContain('  compute-optimal ');
  });
});

describe('bad input: exit code 2 and the option named in kebab-case', () => {
  const cases: [string[], string][] = [
    [['exponents', '--alpha', '1', '--beta', '0.5', '--feature-learning', '0'], '--alpha'],
    [['exponents', '--alpha', '2', '--beta', '-1', '--feature-learning', '0'], '--beta'],
    [['exponents', '--alpha', '2', '--beta', '0.5', '--feature-learning', '-1'], '--feature-learning'],
    [['exponents', '--alpha', '2', '--beta', '0.5'], '--feature-learning'],
    [['exponents', '--alpha', '2', '--beta', 'half', '--feature-learning', '0'], '--beta'],
    [['exponents', '--alpha', '2', '--beta', '0.5', '--gamma', '1'], '--gamma'],
    [['compute-optimal', '--alpha', '2', '--beta', '0.5', '--feature-learning', '0', '--compute', '1e6,-3'], '--compute'],
    [['compute-optimal', '--alpha', '2', '--beta', '0.5', '--feature-learning'], '--feature-learning'],
  ];
  it.each(cases)('%j -> %s', async (args, option) => {
    const run = await cli(...args, '--json');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines.length).toBe(1);
    expect(lines[0]).toContain(`error: ${option}`);
  });
});
