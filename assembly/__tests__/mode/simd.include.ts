// Added to every spec by as-pect.config.cjs: whether the build under test is meant to have SIMD enabled
// (mode.spec.ts compares it with ASC_FEATURE_SIMD).
// @ts-ignore: decorator
@global export function expectedSimd(): bool {
  return true;
}
