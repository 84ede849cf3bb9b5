import { MemoryPluginConfigStore } from '../../src/storage/index.js';
import { pluginConfigContract } from '../integration/storage/plugin-config-suite.js';

pluginConfigContract(
  'memory',
  async () => ({ store: new MemoryPluginConfigStore(), dispose: async () => undefined }),
  false,
);
