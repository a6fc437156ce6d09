// as-pect configuration for the AssemblyScript kernel specs (assembly/__tests__), SIMD build.
// Compiler flags come from the asconfig passed with -a (see package.json "test:kernels"):
// assembly/__tests__/as-pect.simd.asconfig.json enables SIMD so the `if (ASC_FEATURE_SIMD)`
// paths are tested; as-pect.scalar.config.cjs runs the same specs on the scalar paths. Each mode
// adds an include file, and assembly/__tests__/mode.spec.ts fails if the build does not match it.
'use strict';

function configure(mode) {
  return {
    entries: ['assembly/__tests__/**/*.spec.ts'],
    include: [`assembly/__tests__/mode/${mode}.include.ts`],
    disclude: [/node_modules/],
    async instantiate(memory, createImports, instantiate, binary) {
      return instantiate(binary, createImports({ env: { memory } }));
    },
    outputBinary: false,
  };
}

module.exports = configure('simd');
module.exports.configure = configure;
