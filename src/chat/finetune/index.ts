// Fine-tune exports: bot replies and their context as training data. Pure.
export { parseExportDate } from './export-date.js';
export {
  FinetuneBuilder,
  type FinetuneExportOptions,
  type FinetuneManifest,
  type FinetuneSkipReason,
  PREFERENCE_MIN_GAP,
} from './finetune-builder.js';
export {
  conversationLine,
  FINETUNE_FORMATS,
  type FinetuneFormat,
  type OpenaiExample,
  openaiExampleSchema,
  type PreferenceExample,
  preferenceExampleSchema,
  preferenceLine,
  type SharegptExample,
  sharegptExampleSchema,
  type TrainingMessage,
} from './finetune-formats.js';
export { MemberMasker } from './member-masker.js';
export { type PairCandidate, type PreferencePair, preferencePairs, similarTriggerKey } from './preference-pairs.js';
