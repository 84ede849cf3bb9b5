import type { Plugin } from '../plugin-api.js';
import { gamesPlugin } from './games/index.js';

/** The integrations with outside services every Lekha has (each a plugin; see docs/integrations.md). */
export const INTEGRATION_PLUGINS: readonly Plugin[] = [gamesPlugin] as unknown as readonly Plugin[];
