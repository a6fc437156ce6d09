// A Cloudflare Worker serving the scaling-dynamics API over HTTP:
//
//   POST /v1/<function>   body: the function's options as JSON   ->  200 with the result as JSON
//
// JSON has no Infinity, so the string "Infinity" stands for it in requests (e.g. "modes":
// "Infinity"), as it does in responses (results encode non-finite numbers as strings).
// Errors answer JSON { error, parameter? }: 400 for an invalid option (naming it) or a malformed
// body, 404 for an unknown route, 405 for a method other than POST, 413 for a body over 64 KiB.
//
// `scaling-dynamics` resolves to its Workers entry (exports condition `workerd`/`worker`), which
// imports the WebAssembly builds as compiled modules: Workers forbid compiling wasm from bytes.
import {
  AbortError, ParameterError, fromBordelon2024, fromKramp2026, fromPaquette2024, lazy, powerLaw,
  simulateSgd, taskDifficulty, toBordelon2024, toKramp2026, toPaquette2024, toPlain,
} from 'scaling-dynamics';

/** The public functions that take one options object, by route name. */
const FUNCTIONS: Record<string, (options: never) => unknown> = {
  lazy, simulateSgd, powerLaw, taskDifficulty,
  fromBordelon2024, toBordelon2024, fromPaquette2024, toPaquette2024, fromKramp2026, toKramp2026,
};

/** Largest request body accepted, in bytes. */
const MAX_BODY_BYTES = 64 * 1024;

/** A request the Worker refuses before the API sees it (size, JSON syntax). */
class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** Reads the body as text, refusing more than MAX_BODY_BYTES whether or not Content-Length is sent. */
async function readBody(request: Request): Promise<string> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > MAX_BODY_BYTES) {
    throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`);
  }
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** Parses the options; "Infinity" and "-Infinity" become numbers. */
function parseOptions(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text, (_key, value) => (value === 'Infinity' ? Infinity : value === '-Infinity' ? -Infinity : value));
  } catch (error) {
    throw new HttpError(400, `malformed JSON body: ${(error as Error).message}`);
  }
}

export default {
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    const match = /^\/v1\/([A-Za-z0-9]+)$/.exec(pathname);
    const run = match && Object.hasOwn(FUNCTIONS, match[1]) ? FUNCTIONS[match[1]] : undefined;
    if (!run) {
      return json({ error: `no such route: ${pathname}; try POST /v1/{${Object.keys(FUNCTIONS).join(',')}}` }, 404);
    }
    if (request.method !== 'POST') {
      return json({ error: `method ${request.method} not allowed; use POST` }, 405, { allow: 'POST' });
    }
    try {
      const options = parseOptions(await readBody(request));
      return json(toPlain(run(options as never)));
    } catch (error) {
      if (error instanceof HttpError) return json({ error: error.message }, error.status);
      if (error instanceof ParameterError) return json({ error: error.message, parameter: error.parameter }, 400);
      if (error instanceof AbortError) return json({ error: error.message }, 503);
      return json({ error: `internal error: ${(error as Error)?.message ?? String(error)}` }, 500);
    }
  },
};
