export type {
  AdminSessionRecord,
  AdminSessionStore,
  LoginMethod,
  OidcRoleRule,
  TelegramAdminGrant,
  TelegramAdminStore,
} from '../../ports/index.js';
