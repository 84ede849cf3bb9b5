import type { Plugin } from '../plugin-api.js';
import { anomalyPlugin } from './anomaly.js';
import { digestPlugin } from './digest.js';
import { helpPlugin } from './help.js';
import { modePlugin } from './mode.js';
import { pluginsPlugin } from './plugins.js';
import { ratePlugin } from './rate.js';
import { statsPlugin } from './stats.js';
import { stylePlugin } from './style.js';
import { summaryPlugin } from './summary.js';
import { topPlugin } from './top.js';

/** The plugins every Lekha has, in the order /help lists their commands. */
export const BUILTIN_PLUGINS: readonly Plugin[] = [
  helpPlugin,
  statsPlugin,
  topPlugin,
  summaryPlugin,
  modePlugin,
  stylePlugin,
  anomalyPlugin,
  pluginsPlugin,
  digestPlugin,
  ratePlugin,
] as unknown as readonly Plugin[];
