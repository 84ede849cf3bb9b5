export type {
  ChatDirectory,
  ChatListRequest,
  ExportFilter,
  MemberExportRow,
  MemberListRequest,
  MessageSearchRequest,
} from '../../ports/index.js';
