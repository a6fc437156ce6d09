// npm test: build, type-check the tests, the AssemblyScript kernel specs (as-pect, SIMD and scalar paths), then the
// vitest suite; ends with one plain summary line "N passed, N failed" and a non-zero exit on any
// failure.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;
// The npm and npx beside this node: node_modules/.bin holds an old npm (a dependency of
// @as-pect/cli) that comes first on PATH inside npm scripts.
const beside = (name) => join(dirname(process.execPath), process.platform === 'win32' ? `${name}.cmd` : name);
const npx = beside('npx');
const npm = beside('npm');

if (run(npm, ['run', 'build', '--silent']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
// Type-check the tests too (the build checks src/ already).
if (run(npx, ['tsc', '-p', 'test/tsconfig.json', '--noEmit']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const kernelStatus = run(npm, ['run', 'test:kernels', '--silent']);
const report = 'build/vitest-report.json';
rmSync(report, { force: true });
const unitStatus = run(npx, ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
let passed = 0;
let failed = 0;
try {
  const summary = JSON.parse(readFileSync(report, 'utf8'));
  passed = summary.numPassedTests;
  failed = summary.numFailedTests + (summary.numFailedTestSuites ?? 0);
} catch {
  failed += 1;
}
if (kernelStatus !== 0) failed += 1;
console.log(`\nkernel specs (as-pect): ${kernelStatus === 0 ? 'passed' : 'FAILED'}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(kernelStatus !== 0 || unitStatus !== 0 || failed > 0 ? 1 : 0);
