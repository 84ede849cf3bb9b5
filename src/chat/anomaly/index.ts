export {
  ANOMALY_KINDS,
  ANOMALY_LIMITS,
  type AnomalyKind,
  type AnomalyState,
  createAnomalyState,
  type JoinBaseline,
  type MemberTrack,
} from './anomaly-state.js';
export { ANOMALY_THRESHOLDS } from './anomaly-thresholds.js';
export {
  type Anomaly,
  type AnomalyVerdict,
  isNewMember,
  type ObservedMessage,
  observeJoins,
  observeMessage,
  slowedChat,
  slowedFor,
} from './anomaly-detector.js';
