// DMFT benchmark (spec dmft-random-features.md §10, issue 5 "Done means"): wall-clock time of
// dmft() per call on each engine, for the issue's target case (N = 1e4 modes, 100 times), its
// growth with the number of modes (the spectrum compression keeps it flat) and with the number of
// times (linear), the isotropic (1-D Talbot) and anisotropic (2-D product rule) teachers, with and
// without the early-stopping search, and the end-to-end `scaling-dynamics dmft` command.
//
//   npm run build && node bench/dmft.mjs [--quick] [--dist DIR] [--out FILE.md]
//
// --dist DIR   the folder holding node.js, cli.js and the .wasm files (default dist/)
// --quick      fewer repetitions and sizes (a smoke test of ~20 s)
// --out FILE   also write the Markdown report there (a .json with the raw numbers beside it)
//
// Numbers are the median wall-clock of the timed repetitions after one warm-up call (CPU time is
// recorded too: on a shared 2-core machine the wall/CPU ratio shows contention). The engines'
// losses are compared with the js engine's; the run exits 1 when they differ by more than 1e-6.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const quick = argv.includes('--quick');
const dist = resolve(option('--dist', join(here, '..', 'dist')));
const outFile = option('--out', undefined);
const { dmft, init } = await import(pathToFileURL(join(dist, 'node.js')).href);

const ENGINES = ['wasm-simd', 'wasm', 'js'];
/** The 2-D (anisotropic) inversion amplifies round-off: wasm vs js differ by ~4e-8 there (1e-13 in 1-D). */
const TOLERANCE = 1e-6;
const REPS = quick ? 3 : 7;

/** Median wall-clock and CPU milliseconds of `reps` calls after one warm-up; returns the last result. */
function time(call, reps = REPS) {
  let result = call();
  const wall = [];
  const cpu = [];
  for (let r = 0; r < reps; r++) {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    result = call();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { wallMs: median(wall), cpuMs: median(cpu), result };
}

const maxRelative = (a, b) => a.reduce((worst, x, i) => Math.max(worst, Math.abs(x - b[i]) / Math.abs(b[i])), 0);

await init();
const rows = [];
let failed = false;
const progress = (text) => process.stderr.write(`${text}\n`);

/** One case on every engine: times, and the engines' agreement with js. */
function measure(label, options) {
  const timings = {};
  let reference;
  for (const engine of [...ENGINES].reverse()) { // js first: the reference
    const { wallMs, cpuMs, result } = time(() => dmft({ ...options, engine }));
    timings[engine] = { wallMs, cpuMs };
    if (engine === 'js') reference = result.loss;
    else {
      const difference = maxRelative(result.loss, reference);
      timings[engine].difference = difference;
      if (!(difference <= TOLERANCE)) failed = true;
    }
  }
  rows.push({ label, options: { ...options, times: typeof options.times === 'string' ? options.times : undefined }, timings });
  progress(`${label}: ${ENGINES.map((e) => `${e} ${timings[e].wallMs.toFixed(1)} ms`).join(', ')}`);
}

// the issue's target: N = 1e4 modes, 100 times
const teacherStudent = { alpha: 2, beta: 0.5, dataSize: 1000, temperature: 1e-5 };
const anisotropic = { alpha: 1.5, beta: 0.5, dataSize: 1000, labelNoise: 0.1 };
measure('target: N = 1e4, 100 times, isotropic teacher (1-D)', { ...teacherStudent, modes: 1e4, times: 'log:1:1e7:100' });
measure('target + early stopping', { ...teacherStudent, modes: 1e4, times: 'log:1:1e7:100', earlyStopping: true });
measure('N = 1e4, 100 times, anisotropic teacher (2-D)', { ...anisotropic, modes: 1e4, times: 'log:1:1e7:100' });
// growth with modes (compressed spectrum) and with times
for (const modes of quick ? [1e3, 1e5, Infinity] : [1e3, 1e4, 1e5, 1e6, 1e7, Infinity]) {
  measure(`modes ${modes}, 100 times`, { ...teacherStudent, modes, times: 'log:1:1e7:100' });
}
for (const count of quick ? [10, 1000] : [10, 100, 1000]) {
  measure(`N = 1e4, ${count} times`, { ...teacherStudent, modes: 1e4, times: `log:1:1e7:${count}` });
}

// end to end: a fresh process (Node start-up, WebAssembly instantiation, parsing, printing)
const cli = join(dist, 'cli.js');
const args = ['dmft', '--alpha', '2', '--beta', '0.5', '--modes', '1e4', '--data-size', '1000', '--temperature', '1e-5', '--times', 'log:1:1e7:100', '--early-stopping', '--json'];
const runs = [];
for (let r = 0; r < (quick ? 2 : 5); r++) {
  const start = performance.now();
  const child = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  runs.push(performance.now() - start);
  if (child.status !== 0) { failed = true; progress(child.stderr); }
}
runs.sort((a, b) => a - b);
const cliMs = runs[Math.floor(runs.length / 2)];
progress(`CLI end to end: ${cliMs.toFixed(0)} ms`);

const lines = [
  `# DMFT benchmark (${new Date().toISOString()})`, '',
  `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${dist}`, '',
  'Wall-clock ms per dmft() call (median), CPU ms in brackets; max relative difference of the loss from the js engine.', '',
  `| case | ${ENGINES.join(' | ')} | max diff vs js |`, `|---|${ENGINES.map(() => '---:').join('|')}|---:|`,
  ...rows.map((row) => `| ${row.label} | ${ENGINES.map((e) => `${row.timings[e].wallMs.toFixed(1)} (${row.timings[e].cpuMs.toFixed(0)})`).join(' | ')} | ${Math.max(row.timings['wasm-simd'].difference, row.timings.wasm.difference).toExponential(1)} |`),
  '', `\`scaling-dynamics ${args.join(' ')}\`: ${cliMs.toFixed(0)} ms end to end (median of ${runs.length} processes).`,
];
const report = `${lines.join('\n')}\n`;
process.stdout.write(report);
if (outFile) {
  writeFileSync(outFile, report);
  writeFileSync(outFile.replace(/\.md$/, '') + '.json', JSON.stringify({ rows, cliMs, runs }, null, 1));
}
if (failed) {
  progress(`engines disagree by more than ${TOLERANCE} (or the CLI failed)`);
  process.exitCode = 1;
}
