// The calculator's script. scripts/build-calculator.mjs bundles it with the package's inline entry
// (both WebAssembly builds embedded as base64) into examples/calculator.html: no imports remain,
// so the page works from file://. Validation is the library's own: every ParameterError names
// its parameter, and the message is shown next to that input.
import { init, lazy, lineChart, toCSV, ParameterError, AbortError } from 'scaling-dynamics/inline';

const form = document.getElementById('parameters');
const runButton = document.getElementById('run');
const formError = document.getElementById('form-error');
const status = document.getElementById('status');
const plot = document.getElementById('plot');
const tableBody = document.querySelector('#table tbody');
const timeHeading = document.getElementById('time-heading');
const timesUnit = document.getElementById('times-unit');
const csvLink = document.getElementById('csv');
const output = document.getElementById('output');
const tableNote = document.getElementById('table-note');

/** Longest a computation may block the page (it runs on the main thread). */
const TIME_LIMIT_MS = 15000;

/** Input element(s) and error element of each parameter the library may name. */
const FIELDS = {
  alpha: ['alpha'],
  beta: ['beta'],
  modes: ['modes'],
  optimizer: ['optimizer'],
  learningRate: ['learningRate'],
  batchSize: ['batchSize'],
  engine: ['engine'],
  times: ['timesFrom', 'timesTo', 'timesCount'],
  'times.from': ['timesFrom'],
  'times.to': ['timesTo'],
  'times.count': ['timesCount'],
  'times.spacing': ['timesSpacing'],
};

const input = (id) => document.getElementById(id);

/**
 * Text of an input as an option value: '' is absent, Infinity/inf accepted (any case), numbers
 * as numbers; anything else is passed on as the text, for the library to reject by name.
 */
function parse(text) {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^\+?inf(inity)?$/i.test(trimmed)) return Infinity;
  if (/^-inf(inity)?$/i.test(trimmed)) return -Infinity;
  const value = Number(trimmed);
  return Number.isNaN(value) ? trimmed : value;
}

function readOptions() {
  const optimizer = input('optimizer').value;
  const options = {
    alpha: parse(input('alpha').value),
    beta: parse(input('beta').value),
    modes: parse(input('modes').value),
    optimizer,
    times: {
      from: parse(input('timesFrom').value),
      to: parse(input('timesTo').value),
      count: parse(input('timesCount').value),
      spacing: input('timesSpacing').value,
    },
    engine: input('engine').value,
    timeLimit: TIME_LIMIT_MS,
  };
  if (optimizer !== 'flow') options.learningRate = parse(input('learningRate').value);
  if (optimizer === 'sgd') options.batchSize = parse(input('batchSize').value);
  return options;
}

/** Enables the inputs that apply to the chosen optimiser. */
function syncOptimizer() {
  const optimizer = input('optimizer').value;
  input('learningRate').disabled = optimizer === 'flow';
  input('batchSize').disabled = optimizer !== 'sgd';
  const unit = optimizer === 'flow' ? 'time t' : 'steps';
  timesUnit.textContent = `(${unit})`;
  for (const id of ['learningRate', 'batchSize']) if (input(id).disabled) clearError(id);
}

function clearErrors() {
  for (const element of document.querySelectorAll('[data-error-for]')) element.textContent = '';
  for (const element of form.querySelectorAll('[aria-invalid]')) element.removeAttribute('aria-invalid');
  formError.textContent = '';
}

/** Clears an input's mark, and its field's message once no input of the field is marked. */
function clearError(id) {
  input(id).removeAttribute('aria-invalid');
  const field = input(id).closest('.field');
  const slot = field?.querySelector('.error');
  if (slot && !field.querySelector('[aria-invalid="true"]')) slot.textContent = '';
}

/** Shows an error next to the input of the parameter it names (or under the form). */
function showError(error) {
  const parameter = error instanceof ParameterError ? error.parameter : undefined;
  const ids = parameter !== undefined ? FIELDS[parameter] : undefined;
  if (!ids) {
    formError.textContent = error instanceof Error ? error.message : String(error);
    return;
  }
  const slot = document.querySelector(`[data-error-for="${parameter.split('.')[0]}"]`);
  slot.textContent = error.message;
  for (const id of ids) input(id).setAttribute('aria-invalid', 'true');
  input(ids[0]).focus();
}

/** Shortest text that reads back as the same double: the table is exact. */
const format = (value) => String(value);

/** Most rows in the table and points in the plot; longer curves are thinned evenly (the CSV has every point). */
const MAX_SHOWN = 2000;

function shownIndices(length) {
  const stride = Math.max(1, Math.ceil(length / MAX_SHOWN));
  const indices = [];
  for (let i = 0; i < length; i += stride) indices.push(i);
  if (indices[indices.length - 1] !== length - 1) indices.push(length - 1);
  return indices;
}

function render(result, requested) {
  const { times, loss, localExponent, meta } = result;
  const unit = meta.timeUnit === 'steps' ? 'steps' : 'time t';
  const { spectrum } = meta;
  const nodes = spectrum.exactModes + spectrum.quadratureNodes + spectrum.tailNodes;
  const parts = [
    `engine <b data-engine>${meta.engine}</b>`,
    `${times.length} points` + (times.length < requested ? ` (${requested} asked; repeated step counts dropped)` : ''),
    `${nodes} spectral nodes` + (spectrum.quadratureNodes ? ` (${spectrum.exactModes} exact + quadrature)` : ''),
    `${meta.elapsedMs.toFixed(1)} ms`,
  ];
  if (meta.theory) parts.push(`large-t law L ∝ t<sup>−${meta.theory.lazyExponent}</sup>, ${meta.theory.taskDifficulty} task`);
  if (meta.stabilitySum !== undefined) parts.push(`SGD stability sum ${meta.stabilitySum.toPrecision(4)} (< 1)`);
  status.innerHTML = parts.join(' · ');

  const p = meta.parameters;
  const title = `α = ${p.alpha}, β = ${p.beta}, M = ${p.modes}, ${p.optimizer}`
    + (p.learningRate !== undefined ? `, η = ${p.learningRate}` : '') + (p.batchSize !== undefined ? `, B = ${p.batchSize}` : '');
  const shown = shownIndices(times.length);
  const x = shown.map((i) => times[i]);
  const y = shown.map((i) => loss[i]);
  plot.innerHTML = lineChart([{ label: 'loss L', x, y }], { title, xLabel: unit, yLabel: 'test loss L', width: 760, height: 460 });

  timeHeading.textContent = unit;
  tableNote.textContent = shown.length < times.length ? `${shown.length} of ${times.length} points shown (evenly thinned); the CSV has all of them.` : '';
  const rows = [];
  for (const i of shown) {
    rows.push(`<tr><td>${i}</td><td data-column="time">${format(times[i])}</td><td data-column="loss">${format(loss[i])}</td>`
      + `<td data-column="localExponent">${format(localExponent[i])}</td></tr>`);
  }
  tableBody.innerHTML = rows.join('');

  if (csvLink.href.startsWith('blob:')) URL.revokeObjectURL(csvLink.href);
  csvLink.href = URL.createObjectURL(new Blob([toCSV(result)], { type: 'text/csv' }));
  csvLink.hidden = false;
}

async function compute() {
  clearErrors();
  runButton.disabled = true;
  status.textContent = 'Computing…';
  document.body.dataset.state = 'running';
  // Let the browser paint the status before the (synchronous) computation.
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  try {
    const options = readOptions();
    render(lazy(options), options.times.count);
    output.classList.remove('stale');
    document.body.dataset.state = 'done';
  } catch (error) {
    showError(error);
    output.classList.add('stale'); // the curve shown is the previous one
    status.textContent = error instanceof AbortError ? 'Stopped: the computation took too long; try fewer steps or points.' : 'Not computed: see the message by the inputs.';
    document.body.dataset.state = 'error';
  } finally {
    runButton.disabled = false;
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  compute();
});
input('optimizer').addEventListener('change', syncOptimizer);
form.addEventListener('input', (event) => {
  if (event.target.id) clearError(event.target.id);
});
syncOptimizer();

const report = await init();
document.body.dataset.auto = report.auto;
if (report.auto === 'js') {
  formError.textContent = `WebAssembly unavailable here (${Object.values(report.unavailable).join('; ')}): using the JS engine.`;
}
await compute();
