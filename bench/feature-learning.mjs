// Feature-learning solver benchmark: wall time of the N x M simulator (simulateFeatureLearning),
// the discrete DMFT (featureLearningDmft), the lazy TTI DMFT (lazyFeatureDmft) and the feature-space
// solver (featureSpaceDynamics, the B = P = Infinity model at finite N) against the number of steps T,
// the model size N and the number of modes M (feature-learning.md §4.6 cost table).
//
//   node bench/feature-learning.mjs [--quick] [--out FILE.md]   # on a built dist/ (npm run build)
//
// Every entry is the median wall time of `reps` calls after one warm-up call, engine 'auto'
// (wasm-simd where available). The report (Markdown) goes to stdout and to
// bench/results/feature-learning.md, the raw numbers to the .json beside it. The cost columns give
// the time per unit of the solver's leading cost (simulator: per seed x step x N x M; DMFT: per
// node x T^3; TTI: per node x T^2; feature space: per N^2 M (lazy) or per step x N^2 (rich flow)),
// which should be roughly constant down a table if the solver scales as §4.6 says.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The plan: [label, sizes] per solver. Quick: small sizes only. */
function plan(quick) {
  return {
    simulate: quick
      ? [{ N: 64, M: 1024, T: 100 }, { N: 256, M: 1024, T: 100 }, { N: 256, M: 4096, T: 100 }, { N: 64, M: 1024, T: 400 }]
      : [{ N: 64, M: 1024, T: 100 }, { N: 256, M: 1024, T: 100 }, { N: 1024, M: 1024, T: 100 }, { N: 256, M: 8192, T: 100 }, { N: 1024, M: 8192, T: 100 },
        { N: 256, M: 1024, T: 400 }, { N: 256, M: 1024, T: 1600 }],
    dmft: quick
      ? [{ N: 64, M: 128, T: 50 }, { N: 64, M: 128, T: 100 }, { N: 64, M: Infinity, T: 100 }]
      : [{ N: 64, M: 128, T: 50 }, { N: 64, M: 128, T: 100 }, { N: 64, M: 128, T: 200 }, { N: 64, M: 128, T: 400 }, { N: 64, M: 1e6, T: 100 },
        { N: 64, M: Infinity, T: 100 }, { N: 1024, M: 128, T: 100 }],
    tti: quick
      ? [{ N: 64, M: 1024, T: 1000 }, { N: 64, M: 1024, T: 2000 }]
      : [{ N: 64, M: 1024, T: 1000 }, { N: 64, M: 1024, T: 2000 }, { N: 64, M: 1024, T: 4000 }, { N: 64, M: Infinity, T: 4000 }],
    featureSpaceLazy: quick
      ? [{ N: 64, M: 4096 }, { N: 128, M: 4096 }]
      : [{ N: 64, M: 4096 }, { N: 128, M: 4096 }, { N: 256, M: 4096 }, { N: 512, M: 4096 }, { N: 256, M: 16384 }],
    featureSpaceRich: quick
      ? [{ N: 32, M: 2048 }, { N: 64, M: 2048 }]
      : [{ N: 32, M: 2048 }, { N: 64, M: 2048 }, { N: 128, M: 2048 }, { N: 128, M: 8192 }],
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(call, reps) {
  call();
  const times = [];
  let result;
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    result = call();
    times.push(performance.now() - start);
  }
  return { ms: median(times), all: times, result };
}

/**
 * Runs the benchmark against `api` (the package's exports: dist/node.js after init(), or the
 * sources in a test) and returns { markdown, raw }.
 */
export function runFeatureLearningBench(api, { quick = false, log = () => {} } = {}) {
  const p = plan(quick);
  const reps = quick ? 1 : 3;
  const raw = { simulate: [], dmft: [], tti: [], featureSpaceLazy: [], featureSpaceRich: [] };
  const lines = ['# Feature-learning solvers: wall time', '', `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; engine auto; median of ${reps} after a warm-up.`, ''];
  const spectrum = { alpha: 1.5, beta: 0.5 };

  lines.push('## Simulator (simulateFeatureLearning): rich gamma = 1, B = Infinity, eta = 0.25, 2 seeds', '', '| N | M | steps T | ms | ns per seed·step·N·M |', '|---:|---:|---:|---:|---:|');
  for (const { N, M, T } of p.simulate) {
    log(`simulate N=${N} M=${M} T=${T}`);
    const { ms } = time(() => api.simulateFeatureLearning({ ...spectrum, modes: M, modelSize: N, batchSize: Infinity, featureLearning: 1, learningRate: 0.25, times: [0, T], seeds: 2 }), reps);
    raw.simulate.push({ N, M, T, ms });
    lines.push(`| ${N} | ${M} | ${T} | ${ms.toFixed(1)} | ${((ms * 1e6) / (2 * T * N * M)).toFixed(3)} |`);
  }

  lines.push('', '## Discrete DMFT (featureLearningDmft): rich gamma = 1, B = Infinity, eta = 0.25 (default 128 bins)', '', '| N | M | steps T | nodes | ms | ns per node·T^3 |', '|---:|---:|---:|---:|---:|---:|');
  for (const { N, M, T } of p.dmft) {
    log(`dmft N=${N} M=${M} T=${T}`);
    const { ms, result } = time(() => api.featureLearningDmft({ ...spectrum, modes: M, modelSize: N, batchSize: Infinity, featureLearning: 1, learningRate: 0.25, times: [0, T] }), reps);
    const nodes = result.meta.modes?.nodes ?? M;
    raw.dmft.push({ N, M, T, nodes, ms });
    lines.push(`| ${N} | ${M} | ${T} | ${nodes} | ${ms.toFixed(1)} | ${((ms * 1e6) / (nodes * T ** 3)).toFixed(4)} |`);
  }

  lines.push('', '## Lazy TTI DMFT (lazyFeatureDmft): gamma = 0, B = Infinity, eta = 0.5', '', '| N | M | steps T | ms | ns per T^2 |', '|---:|---:|---:|---:|---:|');
  for (const { N, M, T } of p.tti) {
    log(`tti N=${N} M=${M} T=${T}`);
    const { ms } = time(() => api.lazyFeatureDmft({ ...spectrum, modes: M, modelSize: N, batchSize: Infinity, learningRate: 0.5, times: [0, T] }), reps);
    raw.tti.push({ N, M, T, ms });
    lines.push(`| ${N} | ${M} | ${T} | ${ms.toFixed(1)} | ${((ms * 1e6) / T ** 2).toFixed(2)} |`);
  }

  lines.push('', '## Feature-space solver (featureSpaceDynamics), lazy: one projection, all times (closed form)', '', '| N | M | ms | ns per N^2·M |', '|---:|---:|---:|---:|');
  for (const { N, M } of p.featureSpaceLazy) {
    log(`feature-space lazy N=${N} M=${M}`);
    const { ms } = time(() => api.featureSpaceDynamics({ alpha: 2, beta: 0.5, modes: M, modelSize: N, seeds: 1, times: 'log:0.1:1e6:241' }), reps);
    raw.featureSpaceLazy.push({ N, M, ms });
    lines.push(`| ${N} | ${M} | ${ms.toFixed(1)} | ${((ms * 1e6) / (N * N * M)).toFixed(3)} |`);
  }

  lines.push('', '## Feature-space solver, rich gradient flow (gamma = 1, alpha = 2, beta = 0.5): one projection to tau = 4 N^1.5 (the plateau)', '', '| N | M | tau | steps | ms | ns per step·N^2 |', '|---:|---:|---:|---:|---:|---:|');
  for (const { N, M } of p.featureSpaceRich) {
    log(`feature-space rich N=${N} M=${M}`);
    const tau = 4 * N ** 1.5;
    const { ms, result } = time(() => api.featureSpaceDynamics({ alpha: 2, beta: 0.5, modes: M, modelSize: N, featureLearning: 1, seeds: 1, times: { from: 0.1, to: tau, count: 61 } }), reps);
    const steps = result.meta.integratorSteps;
    raw.featureSpaceRich.push({ N, M, tau, steps, ms });
    lines.push(`| ${N} | ${M} | ${tau.toFixed(0)} | ${steps} | ${ms.toFixed(1)} | ${((ms * 1e6) / (steps * N * N)).toFixed(2)} |`);
  }
  return { markdown: `${lines.join('\n')}\n`, raw };
}

async function main() {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const outIndex = argv.indexOf('--out');
  const outFile = outIndex >= 0 ? argv[outIndex + 1] : join(here, 'results', 'feature-learning.md');
  const api = await import('../dist/node.js');
  await api.init();
  const { markdown, raw } = runFeatureLearningBench(api, { quick, log: (line) => process.stderr.write(`${line}\n`) });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, markdown);
  writeFileSync(outFile.replace(/\.md$/, '.json'), JSON.stringify(raw, null, 2));
  process.stdout.write(markdown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
