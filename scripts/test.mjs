// npm test: build, the AssemblyScript kernel specs (as-pect, SIMD and scalar paths), then the
// vitest suite; ends with one plain summary line "N passed, N failed" and a non-zero exit on any
// failure.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

if (run(npm, ['run', 'build', '--silent']) !== 0) {
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
