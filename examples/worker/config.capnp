# workerd configuration for running the example locally without wrangler:
#
#   npm run bundle          # esbuild: dist/worker.js plus the package's .wasm files beside it
#   npx workerd serve config.capnp            # http://127.0.0.1:8787
#   npx workerd serve config.capnp --socket-addr http=127.0.0.1:9000   # another port
#
# The .wasm files are declared as `wasm` modules, so `import x from './solver.simd.wasm'` in the
# package's Workers entry yields a compiled WebAssembly.Module (Workers forbid compiling bytes).
using Workerd = import "/workerd/workerd.capnp";

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
