import { init, lazy } from 'scaling-dynamics';
const report = await init(); // fetches solver.simd.wasm beside the module; under a strict CSP falls back to JS
const { times, loss, meta } = lazy({ alpha: 1.5, beta: 0.5, modes: Infinity, optimizer: 'sgd', learningRate: 0.5, batchSize: 4, times: [0, 10, 100, 1000] });
document.body.dataset.result = JSON.stringify({ times: [...times], loss: [...loss], engine: meta.engine, auto: report.auto });
