// GDPR: a member's data exported from and erased in every store, and retention of old rows.
export { EXPORT_NOTES, MEMBER_EXPORT_FORMAT, type MemberExport } from './member-export.js';
export {
  type ErasureReport,
  type ErasureRequester,
  MEMBER_REQUESTER,
  MemberDataNotFoundError,
  PrivacyEngine,
  type PrivacyEngineOptions,
} from './privacy-engine.js';
