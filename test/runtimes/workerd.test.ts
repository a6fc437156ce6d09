// Cloudflare Workers, for real: the example Worker (examples/worker) and the README `worker`
// snippet are bundled with esbuild against the packed tarball installed in the consumer project
// (`scaling-dynamics` resolved with the `workerd`/`worker` conditions, .wasm files kept as
// imports), served by the workerd binary (devDependency) on 127.0.0.1, and queried over HTTP.
// The example runs from its own config.capnp; the snippet from a config written here.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_OPTIONS, consumerDirectory, installedPackage, maxRelativeDifference, readmeSnippet } from './package.js';

const root = resolve(import.meta.dirname, '..', '..');
const example = join(root, 'examples', 'worker');
const workerd = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'workerd.cmd' : 'workerd');
const { bundle } = await import(pathToFileURL(join(example, 'bundle.mjs')).href) as {
  bundle: (options: { entry?: string; outdir?: string; workingDirectory?: string }) => Promise<void>;
};

/** JSON has no Infinity: requests spell it "Infinity" (as results do). */
const REFERENCE_BODY = JSON.stringify(REFERENCE_OPTIONS, (_key, value) => (value === Infinity ? 'Infinity' : value));
const STARTUP_LIMIT_MS = 15_000;

interface Server {
  process: ChildProcess;
  origin: string;
  log: () => string;
}

interface LazyJson {
  times: number[];
  loss: number[];
  localExponent: number[];
  meta: { engine: string; parameters: Record<string, unknown> };
}

let work: string;
const servers: Server[] = [];
let exampleServer: Server;
let snippetServer: Server;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let node: any;

/** A port that was free on 127.0.0.1 a moment ago (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

/** Starts `workerd serve config.capnp` in `directory` on a free loopback port; resolves once it answers. */
async function serve(directory: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(workerd, ['serve', 'config.capnp', '--socket-addr', `http=127.0.0.1:${port}`], {
    cwd: directory,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => { output += String(chunk); });
  child.stderr?.on('data', (chunk) => { output += String(chunk); });
  const server: Server = { process: child, origin: `http://127.0.0.1:${port}`, log: () => output };
  servers.push(server);
  const started = Date.now();
  for (let attempt = 0; Date.now() - started < STARTUP_LIMIT_MS; attempt++) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`workerd exited (${child.exitCode ?? child.signalCode}) in ${directory}:\n${output}`);
    }
    try {
      await fetch(`${server.origin}/`, { signal: AbortSignal.timeout(1000) });
      return server;
    } catch {
      await new Promise((wait) => setTimeout(wait, Math.min(50 * 2 ** attempt, 250)));
    }
  }
  throw new Error(`workerd did not answer on ${server.origin} within ${STARTUP_LIMIT_MS} ms:\n${output}`);
}

async function stop(server: Server): Promise<void> {
  const child = server.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

function post(server: Server, path: string, body: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.origin}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
}

function expectReferenceCurve(result: LazyJson): void {
  const reference = node.lazy(REFERENCE_OPTIONS);
  expect(result.times).toEqual([...reference.times]);
  expect(maxRelativeDifference(result.loss, reference.loss)).toBeLessThanOrEqual(1e-12);
  expect(maxRelativeDifference(result.localExponent, reference.localExponent)).toBeLessThanOrEqual(1e-12);
  expect(result.meta.engine).toBe('wasm-simd');
  expect(result.meta.parameters.modes).toBe('Infinity');
}

beforeAll(async () => {
  node = await import(pathToFileURL(join(installedPackage(), 'dist', 'node.js')).href);
  // Inside the consumer project, so `scaling-dynamics` resolves to the installed tarball.
  work = mkdtempSync(join(consumerDirectory(), 'workerd-'));

  const exampleDirectory = join(work, 'example');
  mkdirSync(join(exampleDirectory, 'src'), { recursive: true });
  copyFileSync(join(example, 'src', 'index.ts'), join(exampleDirectory, 'src', 'index.ts'));
  for (const file of ['config.capnp', 'tsconfig.json']) copyFileSync(join(example, file), join(exampleDirectory, file));
  await bundle({ workingDirectory: exampleDirectory });

  const snippetDirectory = join(work, 'snippet');
  mkdirSync(snippetDirectory);
  writeFileSync(join(snippetDirectory, 'index.js'), readmeSnippet('worker'));
  await bundle({ workingDirectory: snippetDirectory, entry: 'index.js' });
  writeFileSync(join(snippetDirectory, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "dist/worker.js"),
    (name = "solver.simd.wasm", wasm = embed "dist/solver.simd.wasm"),
    (name = "solver.wasm", wasm = embed "dist/solver.wasm"),
  ],
  compatibilityDate = "2025-09-01",
);
`);

  [exampleServer, snippetServer] = await Promise.all([serve(exampleDirectory), serve(snippetDirectory)]);
});

afterAll(async () => {
  await Promise.all(servers.map(stop));
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('workerd: examples/worker', () => {
  it('bundles the package\'s Workers entry with the wasm builds as module imports', () => {
    const bundled = readFileSync(join(work, 'example', 'dist', 'worker.js'), 'utf8');
    expect(bundled).toMatch(/^import \w+ from "\.\/solver\.simd\.wasm";$/m);
    expect(bundled).toMatch(/^import \w+ from "\.\/solver\.wasm";$/m);
    expect(bundled).not.toContain('WebAssembly.compile(');
  });

  it('type-checks against the packed declarations (its own tsconfig.json)', async () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await new Promise<{ code: number; output: string }>((done) => {
      execFile(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: join(work, 'example'), timeout: 20_000 },
        (error, stdout, stderr) => done({ code: error ? 1 : 0, output: `${stdout}${stderr}` }));
    });
    expect(result.code, result.output).toBe(0);
  });

  it('POST /v1/lazy reproduces Node\'s curve with the SIMD engine', async () => {
    const response = await post(exampleServer, '/v1/lazy', REFERENCE_BODY);
    expect(response.status, exampleServer.log()).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expectReferenceCurve(await response.json() as LazyJson);
  });

  it('serves the other option-object functions', async () => {
    const difficulty = await post(exampleServer, '/v1/taskDifficulty', JSON.stringify({ alpha: 1.5, beta: 0.5 }));
    expect(difficulty.status).toBe(200);
    expect(await difficulty.json()).toEqual(node.taskDifficulty({ alpha: 1.5, beta: 0.5 }));

    const spectrum = await post(exampleServer, '/v1/powerLaw', JSON.stringify({ alpha: 2, beta: 0.5, modes: 5 }));
    expect(spectrum.status).toBe(200);
    const expected = node.powerLaw({ alpha: 2, beta: 0.5, modes: 5 });
    expect(await spectrum.json()).toEqual({ eigenvalues: [...expected.eigenvalues], targetPower: [...expected.targetPower] });

    const converted = await post(exampleServer, '/v1/fromBordelon2024', JSON.stringify({ a: 1.75, b: 1.5 }));
    expect(await converted.json()).toEqual(node.fromBordelon2024({ a: 1.75, b: 1.5 }));
  });

  it('answers 400 naming the parameter for invalid options', async () => {
    const invalid = await post(exampleServer, '/v1/lazy', JSON.stringify({ ...JSON.parse(REFERENCE_BODY), batchSize: 0 }));
    expect(invalid.status).toBe(400);
    const body = await invalid.json() as { error: string; parameter: string };
    expect(body.parameter).toBe('batchSize');
    expect(body.error).toContain('batchSize');

    const unknown = await post(exampleServer, '/v1/lazy', JSON.stringify({ ...JSON.parse(REFERENCE_BODY), learningrate: 0.5 }));
    expect(unknown.status).toBe(400);
    expect((await unknown.json() as { parameter: string }).parameter).toBe('learningrate');

    const notAnObject = await post(exampleServer, '/v1/lazy', '[1, 2]');
    expect(notAnObject.status).toBe(400);
    expect((await notAnObject.json() as { parameter: string }).parameter).toBe('options');
  });

  it('answers 400 for malformed JSON', async () => {
    const response = await post(exampleServer, '/v1/lazy', '{"alpha": 1.5,');
    expect(response.status).toBe(400);
    const body = await response.json() as { error: string; parameter?: string };
    expect(body.error).toMatch(/malformed JSON/);
    expect(body.parameter).toBeUndefined();
  });

  it('answers 404 for unknown routes and 405 for other methods', async () => {
    for (const path of ['/', '/v1/nope', '/v2/lazy', '/v1/lazy/extra', '/v1/constructor', '/v1/toString']) {
      const response = await post(exampleServer, path, '{}');
      expect(response.status, path).toBe(404);
      expect(await response.json()).toHaveProperty('error');
    }
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await fetch(`${exampleServer.origin}/v1/lazy`, { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      await response.body?.cancel();
    }
  });

  it('answers 413 for bodies over 64 KiB, with or without Content-Length', async () => {
    const large = `{"alpha": 1.5, "beta": 0.5${' '.repeat(64 * 1024)}}`;
    const declared = await post(exampleServer, '/v1/lazy', large);
    expect(declared.status).toBe(413);
    await declared.body?.cancel();

    const chunks = [new TextEncoder().encode(large.slice(0, 40_000)), new TextEncoder().encode(large.slice(40_000))];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk) controller.enqueue(chunk); else controller.close();
      },
    });
    const streamed = await fetch(`${exampleServer.origin}/v1/lazy`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    await streamed.body?.cancel();

    // Just under the limit is accepted.
    const fits = await post(exampleServer, '/v1/taskDifficulty', `{"alpha": 1.5, "beta": 0.5${' '.repeat(64 * 1024 - 40)}}`);
    expect(fits.status).toBe(200);
  });
});

describe('workerd: README worker snippet', () => {
  it('reproduces Node\'s curve', async () => {
    const response = await post(snippetServer, '/', REFERENCE_BODY);
    expect(response.status, snippetServer.log()).toBe(200);
    expectReferenceCurve(await response.json() as LazyJson);
  });

  it('answers 400 naming the parameter', async () => {
    const response = await post(snippetServer, '/', JSON.stringify({ ...JSON.parse(REFERENCE_BODY), alpha: -1 }));
    expect(response.status).toBe(400);
    expect((await response.json() as { parameter: string }).parameter).toBe('alpha');
  });
});
