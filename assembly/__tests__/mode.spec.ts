describe("build mode", () => {
  test("ASC_FEATURE_SIMD matches the config that compiled this spec", () => {
    log<string>(ASC_FEATURE_SIMD ? "SIMD build" : "scalar build");
    expect<bool>(ASC_FEATURE_SIMD).toBe(expectedSimd());
  });
});
