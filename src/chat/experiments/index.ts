// A/B tests of personas and prompts: assignment, reply scores and readouts. Pure.
export { assignVariant, newExperimentSchema, variantPersona } from './experiment.js';
export { normalCdf, normalQuantile, twoSidedP } from './normal.js';
export {
  type ExperimentReadout,
  experimentReadout,
  minimumSamplePerVariant,
  type ReadoutVerdict,
  twoProportionTest,
  type VariantComparison,
  type VariantReadout,
  wilsonInterval,
} from './readout.js';
export { replyScore, type ReplyScore } from './reply-score.js';
export {
  DEFAULT_SCORE_WINDOW_MS,
  FOLLOWUP_WINDOW_MS,
  messageSignals,
  RECENT_REPLIES,
  recentReply,
  rememberReply,
  type ReplySignalDraft,
  type SignalingMessage,
} from './reply-signals.js';
