export type { TokenRecord, TokenStore } from '../../ports/index.js';
