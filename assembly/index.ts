// The module's whole export surface: memory management for the TypeScript arena and the
// kernels. Every kernel takes pointers into caller-owned memory and allocates nothing.
export { alloc, free } from './memory';
export { pairSum } from './sums';
export { expSums } from './expsum';
export { sgdSteps } from './sgd';

/** 1 in the SIMD build, 0 in the scalar build. */
export const simd: i32 = ASC_FEATURE_SIMD ? 1 : 0;
export { shellSums, shellStepDissipation } from './shells';
export { symmetricEigen, rowProducts } from './eigen';
export { twoLayerError, twoLayerGradient, twoLayerField, twoLayerUpdate } from './two-layer';
export { flDmftModes } from './fl-dmft';
export { dmftNewton, dmftNodeSums, dmftPairSums, dmftBiasSum } from './dmft';
export { lazyTtiLags } from './lazy-tti';
export { featureSpaceSweep } from './feature-space';
