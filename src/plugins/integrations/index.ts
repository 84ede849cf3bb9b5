import type { Plugin } from '../plugin-api.js';

/** The integrations with outside services every Lekha has (each a plugin; see docs/integrations.md). */
export const INTEGRATION_PLUGINS: readonly Plugin[] = [] as unknown as readonly Plugin[];
