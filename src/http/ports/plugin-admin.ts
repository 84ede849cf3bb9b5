export type { ChatPluginInfo, PluginAdmin, PluginInfo, PluginRoute, PluginRouteRequest } from '../../ports/index.js';
