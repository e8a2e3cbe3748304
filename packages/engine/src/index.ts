export {
  buildDerived,
  type DerivedData,
  type DerivedInput,
  DerivedModel,
  derivedBuffers,
  EASE,
  inputBuffers,
  SPARSE,
} from './models/derived';
export { easeWeights } from './models/ease';
export {
  buildExactModels,
  buildExactModelsInSlices,
  buildModels,
  type Contribution,
  type ModelStats,
  Models,
  type RefreshJob,
  type RemovalReceipt,
} from './models/models';
export { runInSlices, runNow, Slicer } from './models/slices';
export { defaultOptions, type ModelOptions } from './options';
export { predict } from './predict';
export {
  bandWord,
  PROBABILITY_BANDS,
  type ProbabilityBand,
  probabilityBand,
  renderPrediction,
  renderPredictionInput,
} from './prediction-text';
export { type Lang, renderReason } from './reasons';
export { recommend } from './scenarios';
export type {
  CatalogItem,
  Filters,
  Interaction,
  InteractionType,
  Level,
  Prediction,
  PredictionInput,
  PredictionInputKind,
  Reason,
  ReasonKind,
  Recommended,
  RecommendRequest,
  RecommendResult,
  Scenario,
  SubjectView,
} from './types';
