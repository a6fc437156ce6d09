// The public API shared by every entry point (src/node.ts, src/core.ts, src/inline.ts). Entries
// differ only in where init() finds the WebAssembly module.
export { lazy } from './lazy/lazy.js';
export type { LazyOptions, LazyResult, LazyMeta, ModeRecord, Optimizer } from './lazy/lazy.js';
export { simulateSgd } from './simulate/sgd-simulation.js';
export type { SgdSimulationOptions, SgdSimulationResult } from './simulate/sgd-simulation.js';
export { powerLaw, DEFAULT_HEAD_MODES, MAX_EXPLICIT_MODES } from './spectrum/spectrum.js';
export type { SpectrumOptions } from './spectrum/spectrum.js';
export { taskDifficulty } from './spectrum/difficulty.js';
export type { TaskDifficulty, TaskClassification } from './spectrum/difficulty.js';
export {
  fromBordelon2024, toBordelon2024, fromPaquette2024, toPaquette2024, fromKramp2026, toKramp2026,
} from './spectrum/notation.js';
export type { PowerLawExponents } from './spectrum/notation.js';
export { timeGrid, MAX_TIMES } from './time-grid.js';
export type { TimeGrid, TimeGridSpec } from './time-grid.js';
export { localExponents, fitPowerLaw } from './exponents.js';
export type { PowerLawFit } from './exponents.js';
export { toCSV, toPlain } from './result.js';
export { Random } from './random.js';
export { ParameterError, EngineError, AbortError } from './errors.js';
export { MEMORY_BUDGET_BYTES } from './budget.js';
export type { RunControl, Progress } from './control.js';
export { initReport, engineMemory, ENGINE_CHOICES } from './engine/registry.js';
export type { InitReport, WasmSource, WasmSources } from './engine/registry.js';
export type { EngineName, EngineChoice } from './engine/types.js';
export { lineChart } from './plot/svg.js';
export type { Series, ChartOptions } from './plot/svg.js';
export { resolveEngine as getEngine } from './engine/registry.js';
export type { Engine, ExpSumPlan, SgdRun } from './engine/types.js';
export { evolvingOperator, NULL_SHELL_RATIO, MAX_OPERATOR_SIZE } from './shells/operator.js';
export type { EvolvingOperatorOptions, EvolvingOperatorResult, EvolvingOperatorMeta, OperatorResiduals, ExponentialMethod, MatrixFunction, OperatorGrid } from './shells/operator.js';
export { shells, coarseGrain, frontier, MAX_SHELLS } from './shells/shells.js';
export type { ShellsResult, ShellsMeta, ShellOptions, LazyShellsOptions, ModalInput, CoarseGrained, CoarseGrainOptions, ModalData, ShellIntegration, Frontier } from './shells/shells.js';
export { heatMap } from './plot/heatmap.js';
export type { HeatMapOptions } from './plot/heatmap.js';
export { transportSolve } from './shells/transport.js';
export type { TransportOptions, TransportResult, TransportMeta, TransportScheme, TransportBoundary, TransportLimiter } from './shells/transport.js';
export {
  featureLearningExponents, computeOptimal, modelBottleneck, dataBottleneck, richTimeExponent, richExponentLevels,
  taskPhase, lazyRichCrossover, fromSobolevCircle,
} from './feature-learning/theory.js';
export type {
  TheoryOptions, FeatureLearningExponents, ComputeOptimalOptions, ComputeOptimalResult, ComputeOptimalExponents, TaskPhase, PaquettePhase,
  ModelBottleneckOptions, DataBottleneckOptions, BottleneckResult, ModelBottleneckResult, BottleneckAsymptote, LazyRichCrossover, TransientTerm,
} from './feature-learning/theory.js';
export { simulateFeatureLearning, MAX_MODEL_SIZE } from './feature-learning/simulate.js';
export type { FeatureLearningSimulationOptions, FeatureLearningSimulationResult, FeatureLearningSimulationMeta } from './feature-learning/simulate.js';
export { exactFiniteSize, MAX_EXACT_RANK } from './dmft/exact.js';
export type { ExactFiniteSizeOptions, ExactFiniteSizeResult, ExactFiniteSizeMeta, ExactEquilibrium, ExactVarianceParts, ExactStandardErrors } from './dmft/exact.js';
export { dmft } from './dmft/dmft.js';
export type { DmftResult, DmftMeta, DmftOptions, DmftEquilibrium, DmftVarianceParts, DmftCurves, DmftProblem } from './dmft/dmft.js';
export { dmftEquilibrium, gaussianProcessToDynamics } from './dmft/equilibrium.js';
export type { GaussianProcessOptions } from './dmft/equilibrium.js';
export { featureLearningDmft, MAX_DMFT_STEPS, DEFAULT_DMFT_BINS } from './feature-learning/dmft.js';
export type { FeatureLearningDmftOptions, FeatureLearningDmftResult, FeatureLearningDmftMeta } from './feature-learning/dmft.js';
export { markovFeatureLearning, MAX_MARKOV_NODES } from './feature-learning/markov.js';
export type { MarkovFeatureLearningOptions, MarkovFeatureLearningResult, MarkovFeatureLearningMeta, MarkovIntegrator } from './feature-learning/markov.js';
export { lazyFeatureDmft, MAX_LAZY_DMFT_NODES } from './feature-learning/lazy-tti.js';
export type { LazyFeatureDmftOptions, LazyFeatureDmftResult, LazyFeatureDmftMeta } from './feature-learning/lazy-tti.js';
export { volterraSgd, MAX_CONVOLUTION_STEPS } from './feature-learning/volterra.js';
export type { VolterraSgdOptions, VolterraSgdResult, VolterraSgdMeta, VolterraMethod } from './feature-learning/volterra.js';
export { findEarlyStopping } from './dmft/early-stopping.js';
export type { EarlyStoppingSearchOptions, EarlyStoppingPoint } from './dmft/early-stopping.js';
export { ouLimit, ouContinuumStopping } from './dmft/ou.js';
export type { OuLimitOptions, OuLimitResult, OuLimitMeta, OuVarianceParts, OuContinuumStopping, OuContinuumOptions } from './dmft/ou.js';
export { doubleDescent } from './dmft/double-descent.js';
export type { DoubleDescentOptions, DoubleDescentResult } from './dmft/double-descent.js';
export type { ChartMarker } from './plot/svg.js';
export { randomFeatures, AUTO_DMFT_STEPS } from './feature-learning/random-features.js';
export type { RandomFeaturesOptions, RandomFeaturesResult, RandomFeaturesMeta, RandomFeaturesMethod, TimeUnit } from './feature-learning/random-features.js';
export { featureSpaceDynamics, MAX_FEATURE_SPACE_SIZE } from './feature-learning/feature-space.js';
export type { FeatureSpaceOptions, FeatureSpaceResult, FeatureSpaceMeta } from './feature-learning/feature-space.js';
export { computeOptimalFrontier } from './feature-learning/frontier.js';
export type { ComputeOptimalFrontierOptions, ComputeOptimalFrontierResult } from './feature-learning/frontier.js';
export { envelopeChart } from './plot/envelope.js';
export type { NodeSummary } from './feature-learning/mode-nodes.js';
export type { TrainingNoiseOptions } from './dmft/training-options.js';
