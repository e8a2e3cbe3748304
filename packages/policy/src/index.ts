export { checkPolicyBuilds } from './check';
export {
  type CategoryStorage,
  type CompiledEventRule,
  type CompiledPolicy,
  type CompiledPurpose,
  categoriesFor,
  categoryStorage,
  compilePolicy,
  effectivePurposes,
  levelPurposes,
} from './compile';
export { defaultPolicyPath, loadDefaultPolicy } from './default';
export { type NoticeDialog, type NoticeDialogLevel, type NoticeDialogPurpose, noticeDialog } from './dialog';
export { type DocFrame, escapeHtml } from './doc';
export { addDuration, durationMs } from './duration';
export { isPolicyError, PolicyError } from './errors';
export { canonicalJson, purposeScopeHashes, scopeHash, sha256Hex } from './hash';
export { type Measures, NO_MEASURES } from './measures';
export { categoryFacts, noticeText, renderNotice, rightsBlocks } from './notice';
export { loadPolicyFile, parsePolicy } from './parse';
export { assertPurposesDeclared, CODE_PURPOSES, type CodePurpose } from './purposes';
export {
  type RecordOfProcessing,
  recordOfProcessing,
  renderRecordOfProcessing,
  statedMeasures,
  TOM_MEASURES,
} from './ropa';
export {
  type LegalBasisType,
  type Policy,
  type PolicyCategory,
  type PolicyEventRule,
  type PolicyInput,
  type PolicyPurpose,
  type PolicyRecipient,
  PolicySchema,
  type Text,
} from './schema';
export { renderTransparency, type TransparencyReport } from './transparency';
