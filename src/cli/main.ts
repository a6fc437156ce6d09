#!/usr/bin/env node
// The scaling-dynamics command line: `scaling-dynamics <command> [--option value ...]`.
// Bad input exits with code 2 and one line on stderr; an aborted run (--time-limit) with 3.
import { writeFileSync } from 'node:fs';
import { AbortError, ParameterError, init, toCSV, toPlain } from '../node.js';
import { lineChart } from '../plot/svg.js';
import { kebab, parseArguments, type OptionSpec } from './arguments.js';
import { commands } from './commands.js';
import { DEMO, runDemo } from './demo.js';

const outputOptions: OptionSpec[] = [
  { name: 'json', kind: 'boolean', help: 'print one JSON object on stdout' },
  { name: 'csv', kind: 'boolean', help: 'print per-time columns as CSV on stdout' },
  { name: 'svg', kind: 'string', help: 'also write a log-log SVG plot to this file' },
  { name: 'help', kind: 'boolean', help: 'show this help' },
];

function usage(): string {
  const lines = ['Usage: scaling-dynamics <command> [options]', '', 'Commands:'];
  for (const [name, command] of Object.entries(commands)) lines.push(`  ${name.padEnd(16)} ${command.summary}`);
  lines.push(`  ${'demo'.padEnd(16)} the main job: hard task alpha=${DEMO.alpha}, beta=${DEMO.beta}, flow vs SGD (writes --svg, default scaling-dynamics-demo.svg)`);
  lines.push('', 'Run `scaling-dynamics <command> --help` for its options.');
  return lines.join('\n');
}

function commandHelp(name: string, summary: string, options: OptionSpec[]): string {
  const lines = [`Usage: scaling-dynamics ${name} [options]`, '', summary, '', 'Options:'];
  for (const option of options) {
    const flag = `--${kebab(option.name)}${option.kind === 'boolean' ? '' : ' <value>'}`;
    lines.push(`  ${flag.padEnd(28)} ${option.help}`);
  }
  return lines.join('\n');
}

function table(curve: { times: Float64Array } & Record<string, unknown>): string {
  const columns = Object.entries(curve).filter(([, v]) => v instanceof Float64Array && v.length === curve.times.length) as [string, Float64Array][];
  const width = 16;
  const lines = [columns.map(([name]) => name.padStart(width)).join('')];
  for (let row = 0; row < curve.times.length; row++) {
    lines.push(columns.map(([, values]) => values[row].toPrecision(8).padStart(width)).join(''));
  }
  return lines.join('\n');
}

function progressBar(): ((fraction: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (fraction) => {
    const filled = Math.round(fraction * 30);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${(100 * fraction).toFixed(0).padStart(3)}%${fraction >= 1 ? '\r\x1b[K' : ''}`);
  };
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  await init();
  if (name === 'demo') {
    const options = parseArguments(rest, [
      { name: 'engine', kind: 'string', help: 'auto | wasm-simd | wasm | js' },
      { name: 'json', kind: 'boolean', help: 'print the curves and fits as JSON' },
      { name: 'svg', kind: 'string', help: 'SVG output file (default scaling-dynamics-demo.svg)' },
      { name: 'help', kind: 'boolean', help: 'show this help' },
    ]);
    if (options.help) {
      process.stdout.write('Usage: scaling-dynamics demo [--engine E] [--json] [--svg FILE]\n');
      return 0;
    }
    const demo = runDemo((options.engine as never) ?? 'auto', progressBar());
    const file = (options.svg as string | undefined) ?? 'scaling-dynamics-demo.svg';
    writeFileSync(file, demo.svg);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(toPlain({ steps: demo.steps, theory: demo.theory, curves: demo.curves.map((c) => ({ label: c.label, loss: c.result.loss, exponent: c.exponent, standardError: c.standardError, meta: c.result.meta })) }))}\n`);
      return 0;
    }
    const engine = demo.curves[0].result.meta.engine;
    const lines = [`scaling-dynamics main job: lazy dynamics, hard task alpha = ${DEMO.alpha}, beta = ${DEMO.beta}, modes = Infinity, learning rate ${DEMO.learningRate} (engine ${engine})`, ''];
    lines.push(['steps'.padStart(10), ...demo.curves.map((c) => c.label.padStart(28))].join(''));
    for (let row = 0; row < demo.steps.length; row += 5) {
      lines.push([String(demo.steps[row]).padStart(10), ...demo.curves.map((c) => c.result.loss[row].toPrecision(6).padStart(28))].join(''));
    }
    lines.push('', `fitted exponent over steps ${DEMO.fitWindow.from}..${DEMO.fitWindow.to} (theory: beta = ${DEMO.beta})`);
    for (const c of demo.curves) lines.push(`  ${c.label.padEnd(28)} ${c.exponent.toFixed(4)} ± ${c.standardError.toFixed(4)}`);
    lines.push('', `plot written to ${file}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) throw new ParameterError('command', name, `one of ${[...Object.keys(commands), 'demo'].join(', ')}`);
  const parsed = parseArguments(rest, [...command.options, ...outputOptions]);
  if (parsed.help) {
    process.stdout.write(`${commandHelp(name, command.summary, [...command.options, ...outputOptions])}\n`);
    return 0;
  }
  const { json, csv, svg, help: _help, ...apiOptions } = parsed;
  const bar = progressBar();
  if (bar && command.options.some((option) => option.name === 'timeLimit')) apiOptions.onProgress = (progress: { fraction: number }) => bar(progress.fraction);
  const output = command.run(apiOptions);
  if (svg !== undefined && output.svgDocument) writeFileSync(svg as string, output.svgDocument());
  else if (svg !== undefined) {
    if (!output.plot) throw new ParameterError('svg', svg, `no plot for command ${name}`);
    writeFileSync(svg as string, lineChart(output.plot.series, { title: output.plot.title, xLabel: output.plot.xLabel, yLabel: 'loss' }));
  }
  if (json) process.stdout.write(`${JSON.stringify(toPlain(output.value))}\n`);
  else if (csv && output.curve) process.stdout.write(toCSV(output.curve));
  else if (output.curve) process.stdout.write(`${table(output.curve)}\n`);
  else process.stdout.write(`${JSON.stringify(toPlain(output.value), null, 2)}\n`);
  if (output.summary && !json && !csv) process.stdout.write(`${output.summary.join('\n')}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    if (error instanceof ParameterError) {
      const option = error.parameter.startsWith('-') ? error.parameter : `--${kebab(error.parameter.replace(/[[.].*$/, ''))}`;
      process.stderr.write(`scaling-dynamics: error: ${option}: ${error.message}\n`);
      process.exitCode = 2;
    } else if (error instanceof AbortError) {
      process.stderr.write(`scaling-dynamics: aborted: ${error.message}\n`);
      process.exitCode = 3;
    } else {
      process.stderr.write(`scaling-dynamics: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
