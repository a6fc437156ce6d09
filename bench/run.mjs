// Kernel benchmark: the exp-sum kernel (assembly/expsum.ts), the SGD recursion kernel
// (assembly/sgd.ts) and the shell coarse-graining kernels (assembly/shells.ts, through
// coarseGrain) on each engine (wasm-simd, wasm, js), against NumPy when python3 has it.
//
//   npm run bench                 # builds dist/, then runs this file
//   node bench/run.mjs [options]  # on an existing dist/
//
// Options:
//   --quick      small sizes only (M <= 1e5 exp-sum, fewer reps): a smoke test of ~20 s
//   --no-numpy   skip the NumPy reference
//   --out FILE   where to write the Markdown report (default bench/results/latest.md; a .json
//                with the raw numbers is written beside it)
//
// Every number is single-threaded CPU time per unit of work (wall-clock too, in the .json), the
// median of the timed repetitions that follow a warm-up. The engines' results are compared with
// the js engine (the oracle of the test suite) so that a broken kernel cannot post a fast time
// unnoticed: the run exits 1 when a difference exceeds the tolerance. See bench/README.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coarseGrain, getEngine, init } from '../dist/node.js';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const skipNumpy = argv.includes('--no-numpy');
const outIndex = argv.indexOf('--out');
const outFile = outIndex >= 0 ? argv[outIndex + 1] : join(here, 'results', 'latest.md');

/** Relative tolerance of the agreement check (the kernels agree to ~1e-15; see README). */
const TOLERANCE = 1e-12;
const ENGINES = ['wasm-simd', 'wasm', 'js'];

// ---------------------------------------------------------------------------------------------
// Plan of the run. reps = timed repetitions (median reported); T = number of times.

const EXPSUM = quick
  ? [{ M: 1e4, T: 1000, reps: 3 }, { M: 1e5, T: 1000, reps: 2 }]
  : [{ M: 1e4, T: 1000, reps: 7 }, { M: 1e5, T: 1000, reps: 3 }, { M: 1e6, T: 1000, reps: 2 }];
/** Growth with T at fixed M (the T = 1000 point is taken from EXPSUM). */
const SCALING = { M: 1e5, Ts: [10, 100, 1000], reps: { 10: quick ? 5 : 15, 100: quick ? 3 : 7 } };
/** SGD: steps chosen so that each timed repetition is ~1e8 mode-steps (1e7 with --quick). */
const SGD_WORK = quick ? 1e7 : 1e8;
const SGD = [1e3, 1e4, 1e5].map((M) => ({ M, steps: Math.round(SGD_WORK / M), reps: quick ? 2 : 3 }));
const SGD_NOISE = 1e-3;
/** Shell coarse-graining: modes x times per point (the energies, M x T f64, are materialised here). */
const SHELLS = quick
  ? [{ M: 1e4, T: 200, reps: 3 }, { M: 1e5, T: 20, reps: 3 }]
  : [{ M: 1e4, T: 1000, reps: 5 }, { M: 1e5, T: 200, reps: 3 }, { M: 1e6, T: 20, reps: 3 }];
const SGD_ETA = 0.25;

// ---------------------------------------------------------------------------------------------
// Problems (bench/expsum_numpy.py and bench/sgd_numpy.py build the same ones).

/** rates 0.5 k^-1.5 (k = M..1, ascending), w0 = k^-1.25, w1 = r w0; times log-spaced 1e-3..1e3. */
function expSumProblem(M, T) {
  const rates = new Float64Array(M);
  const w0 = new Float64Array(M);
  const w1 = new Float64Array(M);
  for (let i = 0; i < M; i++) {
    const k = M - i;
    rates[i] = 0.5 * k ** -1.5;
    w0[i] = k ** -1.25;
    w1[i] = rates[i] * w0[i];
  }
  return { rates, w0, w1, times: logTimes(T) };
}

function logTimes(T) {
  const times = new Float64Array(T);
  for (let j = 0; j < T; j++) times[j] = T > 1 ? 10 ** (-3 + (6 * j) / (T - 1)) : 1;
  return times;
}

/** Terms the kernel evaluates: those with rate * t <= 746 (the rest underflow and are skipped). */
function activeTerms(rates, times) {
  let count = 0;
  for (const t of times) {
    let low = 0;
    let high = rates.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (rates[middle] <= 746 / t) low = middle + 1;
      else high = middle;
    }
    count += low;
  }
  return count;
}

/** lambda_k = k^-1.5, eta = 0.25, batch 1: a = (1 - eta l)^2 + eta^2 l^2, b = eta^2 l^2, e = k^-2.5. */
function sgdProblem(M) {
  const decay = new Float64Array(M);
  const injection = new Float64Array(M);
  const energy = new Float64Array(M);
  for (let i = 0; i < M; i++) {
    const k = i + 1;
    const lambda = k ** -1.5;
    decay[i] = (1 - SGD_ETA * lambda) ** 2 + SGD_ETA ** 2 * lambda ** 2;
    injection[i] = SGD_ETA ** 2 * lambda ** 2;
    energy[i] = k ** -2.5;
  }
  return { decay, injection, energy };
}

// ---------------------------------------------------------------------------------------------
// Helpers.

const now = () => process.hrtime.bigint();
const elapsedNs = (start) => Number(now() - start);

/** Wall-clock and CPU time (user + system of this process) of one call, in ns. */
function measure(fn) {
  const cpuStart = process.cpuUsage();
  const wallStart = now();
  fn();
  const wallNs = elapsedNs(wallStart);
  const cpu = process.cpuUsage(cpuStart);
  return { wallNs, cpuNs: (cpu.user + cpu.system) * 1e3 };
}

/** Every timed run's wall / CPU ratio: 1 on an idle machine, > 1 when other processes took the CPU. */
const contention = [];

/** Median ns per unit of CPU time and of wall time over the runs; records their contention. */
function summarise(samples, units) {
  for (const sample of samples) contention.push(sample.wallNs / sample.cpuNs);
  return {
    ns: median(samples.map((sample) => sample.cpuNs / units)),
    wallNs: median(samples.map((sample) => sample.wallNs / units)),
    runs: samples.map((sample) => +(sample.cpuNs / units).toFixed(4)),
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Max over i of |a_i - b_i| / max(|a_i|, |b_i|, tiny). */
function maxRelativeDifference(a, b) {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const scale = Math.max(Math.abs(a[i]), Math.abs(b[i]), Number.MIN_VALUE);
    const difference = Math.abs(a[i] - b[i]) / scale;
    worst = Number.isNaN(difference) ? Infinity : Math.max(worst, difference);
  }
  return worst;
}

const fmt = (x, digits = 2) => (x === undefined || x === null || Number.isNaN(x) ? '–' : x.toFixed(digits));
const fmtRatio = (x) => (x === undefined || Number.isNaN(x) ? '–' : `${x.toFixed(2)}×`);
const fmtDiff = (x) => (x === undefined ? '–' : x === 0 ? '0' : x.toExponential(1));
const fmtCount = (x) => (x >= 1e3 && Math.log10(x) % 1 === 0 ? `1e${Math.log10(x)}` : String(x));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message) => process.stderr.write(`${message}\n`);

/** The environment for python3: OpenBLAS overrides unset (they slow NumPy), one BLAS thread. */
function pythonEnvironment() {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

function python(args) {
  const result = spawnSync('python3', args, {
    env: pythonEnvironment(), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`python3 ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

function numpyInfo() {
  if (skipNumpy) return { available: false, reason: '--no-numpy' };
  try {
    const out = python(['-c', [
      'import json, numpy as np',
      "c = np.show_config(mode='dicts') if np.lib.NumpyVersion(np.__version__) >= '1.26.0' else {}",
      "simd = c.get('SIMD Extensions', {})",
      "blas = c.get('Build Dependencies', {}).get('blas', {})",
      "print(json.dumps({'version': np.__version__, 'simd': simd.get('found', []), 'blas': blas.get('name', '?') + ' ' + str(blas.get('version', ''))}))",
    ].join('\n')]);
    return { available: true, ...JSON.parse(out) };
  } catch (error) {
    return { available: false, reason: String(error.message).split('\n')[0] };
  }
}

function machine(numpy) {
  let cpu = cpus()[0]?.model ?? '?';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const field = (name) => info.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm'))?.[1]?.trim();
    cpu = `${field('model name') ?? cpu} (family ${field('cpu family')}, model ${field('model')}, ${field('cpu MHz')} MHz)`;
  } catch { /* not Linux */ }
  return {
    cpu,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    numpy: numpy.available ? `${numpy.version} (SIMD found: ${numpy.simd.join(', ') || '?'}; BLAS: ${numpy.blas}, 1 thread)` : `not used: ${numpy.reason}`,
    date: new Date().toISOString(),
    loadAtStart: loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

// ---------------------------------------------------------------------------------------------
// Exp-sum kernel.

/**
 * Warm-up: a few short calls, so the JS engine is optimised and V8 has tiered the WebAssembly
 * function up from Liftoff to TurboFan (tier-up applies from the next call; a pause lets the
 * background compile finish).
 */
async function warmUp(engine) {
  const { rates, w0, w1, times } = expSumProblem(2e4, 64);
  const plan = engine.prepareExpSums(rates, w0, w1);
  const out0 = new Float64Array(times.length);
  const out1 = new Float64Array(times.length);
  for (let i = 0; i < 4; i++) {
    plan.evaluate(times, out0, out1);
    await sleep(20);
  }
  plan.dispose();
  const sgd = sgdProblem(2e4);
  const run = engine.startSgd(sgd.decay, sgd.injection, sgd.energy);
  for (let i = 0; i < 4; i++) {
    run.advance(200, SGD_NOISE);
    await sleep(20);
  }
  run.dispose();
}

function expSumNumpy(M, T, reps) {
  const result = JSON.parse(python([join(here, 'expsum_numpy.py'), String(M), String(T), '--reps', String(reps), '--values']));
  contention.push(...result.contention);
  return { nsPerTerm: result.nsPerTermMedian, wallNsPerTerm: result.wallNsPerTermMedian, runs: result.runs, out0: Float64Array.from(result.out0), out1: Float64Array.from(result.out1) };
}

/** Runs one (M, T) point on every engine (and NumPy); returns ns/term and agreement per engine. */
function expSumPoint(engines, numpy, M, T, reps) {
  const problem = expSumProblem(M, T);
  const terms = activeTerms(problem.rates, problem.times);
  if (terms !== M * T) throw new Error(`exp-sum problem M=${M} T=${T}: ${terms} active terms, expected ${M * T}`);
  const row = { M, T, reps, results: {} };
  log(`  exp-sum M=${fmtCount(M)} T=${T}: ${engines.map((engine) => engine.name).join(', ')} (${reps} reps)`);
  const plans = engines.map((engine) => engine.prepareExpSums(problem.rates, problem.w0, problem.w1));
  const outputs = engines.map(() => [new Float64Array(T), new Float64Array(T)]);
  const samples = engines.map(() => []);
  // One short call on each plan first (touches the freshly copied modes), then the timed runs
  // round-robin over the engines, so a slow spell of the machine hits every engine alike.
  for (const plan of plans) plan.evaluate(problem.times.subarray(0, 2), new Float64Array(2), new Float64Array(2));
  for (let r = 0; r < reps; r++) {
    engines.forEach((engine, e) => {
      samples[e].push(measure(() => plans[e].evaluate(problem.times, outputs[e][0], outputs[e][1])));
    });
  }
  engines.forEach((engine, e) => {
    const { ns, wallNs, runs } = summarise(samples[e], M * T);
    row.results[engine.name] = { nsPerTerm: ns, wallNsPerTerm: wallNs, runs, out0: outputs[e][0], out1: outputs[e][1] };
    plans[e].dispose();
  });
  if (numpy.available) {
    log(`  exp-sum M=${fmtCount(M)} T=${T} numpy (${reps} reps)`);
    row.results.numpy = expSumNumpy(M, T, reps);
  }
  const oracle = row.results.js;
  for (const result of Object.values(row.results)) {
    result.maxRelDiff = Math.max(maxRelativeDifference(result.out0, oracle.out0), maxRelativeDifference(result.out1, oracle.out1));
  }
  for (const result of Object.values(row.results)) {
    delete result.out0;
    delete result.out1;
  }
  return row;
}

// ---------------------------------------------------------------------------------------------
// SGD recursion kernel.

function sgdPoint(engines, numpy, M, steps, reps) {
  const problem = sgdProblem(M);
  const warmupSteps = Math.max(1, Math.round(steps / 10));
  const row = { M, steps, reps, results: {} };
  const energies = {};
  log(`  sgd M=${fmtCount(M)} steps=${steps}: ${engines.map((engine) => engine.name).join(', ')} (${reps} reps)`);
  const runs = engines.map((engine) => engine.startSgd(problem.decay, problem.injection, problem.energy));
  for (const run of runs) run.advance(warmupSteps, SGD_NOISE);
  const samples = engines.map(() => []);
  for (let r = 0; r < reps; r++) {
    engines.forEach((engine, e) => samples[e].push(measure(() => runs[e].advance(steps, SGD_NOISE))));
  }
  engines.forEach((engine, e) => {
    const { ns, wallNs, runs: perRun } = summarise(samples[e], M * steps);
    const energy = new Float64Array(M);
    runs[e].readEnergy(energy);
    energies[engine.name] = energy;
    row.results[engine.name] = { nsPerModeStep: ns, wallNsPerModeStep: wallNs, runs: perRun, loss: runs[e].loss };
    runs[e].dispose();
  });
  if (numpy.available) {
    log(`  sgd M=${fmtCount(M)} steps=${steps} numpy (${reps} reps)`);
    const result = JSON.parse(python([join(here, 'sgd_numpy.py'), String(M), String(steps),
      '--reps', String(reps), '--warmup', String(warmupSteps), '--noise', String(SGD_NOISE)]));
    contention.push(...result.contention);
    row.results.numpy = { nsPerModeStep: result.nsPerModeStepMedian, wallNsPerModeStep: result.wallNsPerModeStepMedian, runs: result.runs, loss: result.loss };
  }
  const oracle = row.results.js;
  for (const [name, result] of Object.entries(row.results)) {
    // Engines: every modal energy and the loss; NumPy: the loss (its sum order differs).
    result.maxRelDiff = maxRelativeDifference([result.loss], [oracle.loss]);
    if (energies[name]) result.maxRelDiff = Math.max(result.maxRelDiff, maxRelativeDifference(energies[name], energies.js));
  }
  return row;
}

// ---------------------------------------------------------------------------------------------
// Shell coarse-graining (coarseGrain: labels, the kernels, the balance; energies copied into the
// engine in chunks of rows). 'trapezoid': segment sums only (shellSums, SIMD); 'exponential':
// plus the per-mode logarithmic-mean step integral (shellStepDissipation, one log per mode).

function shellPoint(engines, M, T, reps) {
  const eigenvalues = new Float64Array(M);
  for (let i = 0; i < M; i++) eigenvalues[i] = (i + 1) ** -1.5;
  const times = logTimes(T);
  const energies = new Float64Array(M * T);
  for (let j = 0; j < T; j++) for (let i = 0; i < M; i++) energies[j * M + i] = (i + 1) ** -2 * Math.exp(-2 * eigenvalues[i] * times[j]);
  const modal = { times, eigenvalues, energies, modeCount: M, eigenvaluesPerTime: false };
  const row = { M, T, reps, results: {} };
  for (const integration of ['trapezoid', 'exponential']) {
    log(`  shells M=${fmtCount(M)} T=${T} ${integration}: ${engines.map((engine) => engine.name).join(', ')} (${reps} reps)`);
    const samples = engines.map(() => []);
    const outputs = [];
    engines.forEach((engine) => coarseGrain({ ...modal, times: times.subarray(0, 2), energies: energies.subarray(0, 2 * M) }, { base: 2, reference: 1, engine, integration }));
    for (let r = 0; r < reps; r++) {
      engines.forEach((engine, e) => samples[e].push(measure(() => { outputs[e] = coarseGrain(modal, { base: 2, reference: 1, engine, integration }); })));
    }
    engines.forEach((engine, e) => {
      const { ns, wallNs, runs } = summarise(samples[e], M * T);
      const oracle = outputs[engines.findIndex((other) => other.name === 'js')] ?? outputs[e];
      const maxRelDiff = Math.max(maxRelativeDifference(outputs[e].energy, oracle.energy), maxRelativeDifference(outputs[e].integratedDissipation, oracle.integratedDissipation));
      row.results[`${engine.name} ${integration}`] = { nsPerModeTime: ns, wallNsPerModeTime: wallNs, runs, maxRelDiff };
    });
  }
  return row;
}

function shellTable(rows, engines) {
  const names = engines.map((engine) => engine.name);
  const lines = [
    `| M | T | reps | rule | ${names.map((name) => `${name} M·T/s`).join(' | ')} | simd speed-up vs js | wasm speed-up vs js | max rel. diff vs js |`,
    `|---|---|---|---|${names.map(() => '---:').join('|')}|---:|---:|---|`,
  ];
  for (const row of rows) {
    for (const rule of ['trapezoid', 'exponential']) {
      const ns = (name) => row.results[`${name} ${rule}`]?.nsPerModeTime;
      const rate = (name) => (ns(name) ? `${(1e9 / ns(name) / 1e6).toFixed(0)}e6` : '–');
      const diffs = names.filter((name) => name !== 'js').map((name) => `${name} ${fmtDiff(row.results[`${name} ${rule}`]?.maxRelDiff)}`).join(', ');
      lines.push(`| ${fmtCount(row.M)} | ${row.T} | ${row.reps} | ${rule} | ${names.map(rate).join(' | ')} | ${fmtRatio(ns('js') / ns('wasm-simd'))} | ${fmtRatio(ns('js') / ns('wasm'))} | ${diffs} |`);
    }
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Report.

function expSumTable(rows, columns) {
  const lines = [
    `| M | T | reps | ${columns.join(' | ')} | simd speed-up vs js | wasm speed-up vs js | simd speed-up vs numpy | max rel. diff vs js |`,
    `|---|---|---|${columns.map(() => '---:').join('|')}|---:|---:|---:|---|`,
  ];
  for (const row of rows) {
    const ns = (name) => row.results[name]?.nsPerTerm;
    const diffs = Object.entries(row.results).filter(([name]) => name !== 'js')
      .map(([name, result]) => `${name} ${fmtDiff(result.maxRelDiff)}`).join(', ');
    lines.push(`| ${fmtCount(row.M)} | ${row.T} | ${row.reps} | ${columns.map((name) => fmt(ns(name))).join(' | ')} | `
      + `${fmtRatio(ns('js') / ns('wasm-simd'))} | ${fmtRatio(ns('js') / ns('wasm'))} | ${fmtRatio(ns('numpy') / ns('wasm-simd'))} | ${diffs} |`);
  }
  return lines;
}

function scalingTable(rows, columns) {
  const lines = [
    `| M | T | reps | ${columns.map((name) => `${name} ms/call`).join(' | ')} | ${columns.map((name) => `${name} ns/term`).join(' | ')} |`,
    `|---|---|---|${columns.map(() => '---:').join('|')}|${columns.map(() => '---:').join('|')}|`,
  ];
  for (const row of rows) {
    const ns = (name) => row.results[name]?.nsPerTerm;
    lines.push(`| ${fmtCount(row.M)} | ${row.T} | ${row.reps} | ${columns.map((name) => fmt(ns(name) * row.M * row.T / 1e6, 1)).join(' | ')} | `
      + `${columns.map((name) => fmt(ns(name))).join(' | ')} |`);
  }
  const first = rows[0];
  const last = rows[rows.length - 1];
  const growth = columns.map((name) => `${name} ${fmt(last.results[name]?.nsPerTerm * last.T / (first.results[name]?.nsPerTerm * first.T), 1)}×`);
  lines.push('', `Time growth from T=${first.T} to T=${last.T} (×${last.T / first.T} the work): ${growth.join(', ')}.`);
  return lines;
}

function sgdTable(rows, columns) {
  const lines = [
    `| M | steps/rep | reps | ${columns.join(' | ')} | simd speed-up vs js | wasm speed-up vs js | simd speed-up vs numpy | max rel. diff vs js |`,
    `|---|---|---|${columns.map(() => '---:').join('|')}|---:|---:|---:|---|`,
  ];
  for (const row of rows) {
    const ns = (name) => row.results[name]?.nsPerModeStep;
    const diffs = Object.entries(row.results).filter(([name]) => name !== 'js')
      .map(([name, result]) => `${name} ${fmtDiff(result.maxRelDiff)}`).join(', ');
    lines.push(`| ${fmtCount(row.M)} | ${row.steps} | ${row.reps} | ${columns.map((name) => fmt(ns(name), 3)).join(' | ')} | `
      + `${fmtRatio(ns('js') / ns('wasm-simd'))} | ${fmtRatio(ns('js') / ns('wasm'))} | ${fmtRatio(ns('numpy') / ns('wasm-simd'))} | ${diffs} |`);
  }
  return lines;
}

function report(machineInfo, expRows, scalingRows, sgdRows, columns, seconds, shellRows, engines) {
  return [
    `# scaling-dynamics kernel benchmark${quick ? ' (--quick)' : ''}`,
    '',
    `- CPU: ${machineInfo.cpu}, ${machineInfo.cores} cores, ${machineInfo.memoryGiB} GiB`,
    `- Node ${machineInfo.node} (V8 ${machineInfo.v8}); NumPy ${machineInfo.numpy}`,
    `- Date: ${machineInfo.date}; load average at start ${machineInfo.loadAtStart}, at end ${loadavg().map((x) => x.toFixed(2)).join(' ')}; run took ${seconds.toFixed(0)} s`,
    '- Times are single-threaded CPU time (user + system of the process), median of `reps` timed repetitions after a warm-up.',
    `  Wall-clock / CPU time over the timed runs: median ${fmt(median(contention))}, max ${fmt(Math.max(...contention))} (1.00 = nothing else competed for the CPU; wall-clock medians are in the .json).`,
    '',
    '## Exp-sum kernel (`prepareExpSums` / `evaluate`): ns per mode·time term',
    '',
    'Rates 0.5·k^-1.5 (k = 1..M), times log-spaced 1e-3..1e3: every one of the M·T terms is evaluated (none underflows).',
    'Speed-up = other time / engine time (> 1: the engine is faster).',
    '',
    ...expSumTable(expRows, columns),
    '',
    `## Exp-sum growth with T at M = ${fmtCount(SCALING.M)}`,
    '',
    ...scalingTable(scalingRows, columns),
    '',
    '## SGD recursion kernel (`startSgd` / `advance`): ns per mode·step',
    '',
    `e_k ← a_k e_k + b_k (L + noise), L = Σ e_k; eta = ${SGD_ETA}, λ_k = k^-1.5; ${SGD_WORK.toExponential(0)} mode·steps per rep. NumPy: one vectorised update + sum per step.`,
    '',
    ...sgdTable(sgdRows, columns),
    '',
    '## Shell coarse-graining (`coarseGrain`): modes·times per second',
    '',
    'λ_i = i^-1.5, a_i² = i^-2 e^(-2λ_i t), base 2, times log-spaced 1e-3..1e3; whole call (labels, copies into the engine, kernels, balance). Higher is faster.',
    '',
    ...shellTable(shellRows, engines),
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main.

const started = now();
const initReport = await init();
const engines = ENGINES.filter((name) => initReport.engines.includes(name)).map((name) => getEngine(name));
for (const name of ENGINES) {
  if (!initReport.engines.includes(name)) log(`engine ${name} unavailable: ${initReport.unavailable[name]}`);
}
const numpy = numpyInfo();
const machineInfo = machine(numpy);
const columns = [...engines.map((engine) => engine.name), ...(numpy.available ? ['numpy'] : [])];
log(`engines: ${engines.map((engine) => engine.name).join(', ')}; numpy: ${numpy.available ? numpy.version : numpy.reason}`);

for (const engine of engines) await warmUp(engine);

const expRows = EXPSUM.map(({ M, T, reps }) => expSumPoint(engines, numpy, M, T, reps));
const scalingRows = SCALING.Ts.map((T) => expRows.find((row) => row.M === SCALING.M && row.T === T)
  ?? expSumPoint(engines, numpy, SCALING.M, T, SCALING.reps[T]));
const sgdRows = SGD.map(({ M, steps, reps }) => sgdPoint(engines, numpy, M, steps, reps));
const shellRows = SHELLS.map(({ M, T, reps }) => shellPoint(engines, M, T, reps));

const seconds = elapsedNs(started) / 1e9;
const markdown = report(machineInfo, expRows, scalingRows, sgdRows, columns, seconds, shellRows, engines);
process.stdout.write(markdown);
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, markdown);
writeFileSync(outFile.replace(/\.md$/, '') + '.json',
  `${JSON.stringify({ machine: machineInfo, contention: { median: median(contention), max: Math.max(...contention) }, expSum: expRows, expSumScaling: scalingRows, sgd: sgdRows, shells: shellRows }, null, 2)}\n`);
log(`\nwritten ${outFile} (${seconds.toFixed(0)} s)`);

// The agreement guard: a kernel that disagrees with the js oracle fails the run.
const failures = [...expRows, ...scalingRows, ...sgdRows, ...shellRows].flatMap((row) => Object.entries(row.results)
  .filter(([, result]) => !(result.maxRelDiff <= TOLERANCE))
  .map(([name, result]) => `${name} M=${row.M} ${row.T ? `T=${row.T}` : `steps=${row.steps}`}: max rel. diff ${result.maxRelDiff}`));
if (failures.length) {
  log(`\nFAIL: results disagree with the js engine beyond ${TOLERANCE}:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
}
