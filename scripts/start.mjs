// npm start: builds dist/ when it is missing or older than the sources, then runs the main job.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(directory) {
  let latest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const built = existsSync('dist/cli.js') && existsSync('dist/solver.simd.wasm') ? statSync('dist/cli.js').mtimeMs : 0;
if (built < Math.max(newest('src'), newest('assembly'))) {
  execSync('npm run build', { stdio: ['ignore', 'inherit', 'inherit'] });
}
const result = spawnSync(process.execPath, ['dist/cli.js', 'demo', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
