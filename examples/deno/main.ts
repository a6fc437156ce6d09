// Deno: the loss curve of online SGD on a power-law task with infinitely many modes, as JSON.
//
//   deno run main.ts
//
// No permission flags: the package's Deno entry (exports condition `deno`) carries its
// WebAssembly embedded, so nothing is read from disk or fetched at run time.
import { fitPowerLaw, init, lazy } from 'npm:scaling-dynamics';

const report = await init(); // optional: engines also load synchronously on first use
const result = lazy({
  alpha: 1.5, beta: 0.5, modes: Infinity,
  optimizer: 'sgd', learningRate: 0.5, batchSize: 4,
  times: [0, 10, 100, 1000],
});
// Late-time decay: L ~ t^-exponent, with exponent near beta = 0.5 for this task.
const fit = fitPowerLaw(result.times, result.loss, { from: 10 });

// Results carry a toJSON: typed arrays become arrays, Infinity becomes "Infinity".
console.log(JSON.stringify({ result, fit, engines: report.engines }, null, 2));
