// `.wasm` imports in the Workers entry resolve to compiled modules (wrangler, workerd).
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
