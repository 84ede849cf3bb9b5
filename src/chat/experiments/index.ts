// A/B tests of personas and prompts: assignment, reply scores and readouts. Pure.
export { assignVariant, newExperimentSchema, variantPersona } from './experiment.js';
export { replyScore, type ReplyScore } from './reply-score.js';
