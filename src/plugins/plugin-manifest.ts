import semver from 'semver';
import { z } from 'zod';
import { PluginInvalidError } from '../runtime/index.js';
import type { Plugin } from './plugin-api.js';

const NAME = /^[a-z][a-z0-9-]{1,31}$/;
const KINDS = new Set(['command', 'listener', 'integration', 'job']);

/** A plugin's name, checked alone (the admin API and `/plugin` take names from people). */
export function isPluginName(name: string): boolean {
  return NAME.test(name);
}

/**
 * Checks what a plugin declares about itself, throwing
 * {@link PluginInvalidError} with the first problem found. The value may
 * come from any module, so nothing about its shape is assumed.
 */
export function checkManifest(value: unknown, where: string): Plugin {
  if (typeof value !== 'object' || value === null) throw new PluginInvalidError(where, 'is not a plugin object');
  const p = value as Record<string, unknown>;
  const name = typeof p['name'] === 'string' ? p['name'] : where;
  const fail = (reason: string): never => {
    throw new PluginInvalidError(name, reason);
  };
  if (typeof p['name'] !== 'string' || !NAME.test(p['name']))
    fail('name must be 2–32 lower case letters, digits or dashes, starting with a letter');
  if (typeof p['version'] !== 'string' || semver.valid(p['version']) === null)
    fail(`version ${JSON.stringify(p['version'])} is not a semantic version (like 1.0.0)`);
  const description = p['description'];
  const described =
    (typeof description === 'string' && description.trim() !== '') ||
    (typeof description === 'object' &&
      description !== null &&
      typeof (description as { en?: unknown }).en === 'string');
  if (!described) fail('description must be a text, or texts by language with at least `en`');
  if (typeof p['kind'] !== 'string' || !KINDS.has(p['kind'])) fail(`kind must be one of ${[...KINDS].join(', ')}`);
  if (typeof p['setup'] !== 'function') fail('setup must be a function');
  if (!(p['settings'] instanceof z.ZodObject)) fail('settings must be a zod object schema');
  const chatSettings = p['chatSettings'];
  if (chatSettings !== undefined) {
    const keys = Object.keys((p['settings'] as z.ZodObject).shape);
    if (!Array.isArray(chatSettings)) fail('chatSettings must list setting names');
    for (const key of chatSettings as unknown[]) {
      if (typeof key !== 'string' || !keys.includes(key))
        fail(`chatSettings names ${JSON.stringify(key)}, which is not one of its settings`);
      if (/key|token|secret|password|url|host/i.test(key as string))
        fail(`chatSettings may not offer ${key as string} to chats: credentials and addresses are the operator's`);
    }
  }
  const requires = p['requires'];
  if (requires !== undefined) {
    if (typeof requires !== 'object' || requires === null) fail('requires must map plugin names to version ranges');
    for (const [dep, range] of Object.entries(requires as object)) {
      if (!NAME.test(dep)) fail(`requires names ${JSON.stringify(dep)}, which is not a plugin name`);
      if (typeof range !== 'string' || semver.validRange(range) === null)
        fail(`requires ${dep} ${JSON.stringify(range)}, which is not a version range (like ^1.0.0)`);
    }
  }
  return value as Plugin;
}

/**
 * Orders plugins so that each comes after what it requires, checking that
 * names are unique and every requirement is loaded in a version its range
 * accepts. Throws {@link PluginInvalidError} for the first problem.
 */
export function orderByRequirements(plugins: readonly Plugin[]): Plugin[] {
  const byName = new Map<string, Plugin>();
  for (const plugin of plugins) {
    if (byName.has(plugin.name)) throw new PluginInvalidError(plugin.name, 'is loaded twice (names must be unique)');
    byName.set(plugin.name, plugin);
  }
  for (const plugin of plugins) {
    for (const [dep, range] of Object.entries(plugin.requires ?? {})) {
      const found = byName.get(dep);
      if (found === undefined)
        throw new PluginInvalidError(plugin.name, `requires ${dep} ${range}, which is not loaded`);
      if (!semver.satisfies(found.version, range))
        throw new PluginInvalidError(plugin.name, `requires ${dep} ${range}, but ${dep} ${found.version} is loaded`);
    }
  }
  const ordered: Plugin[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (plugin: Plugin, path: string[]): void => {
    const seen = state.get(plugin.name);
    if (seen === 'done') return;
    if (seen === 'visiting')
      throw new PluginInvalidError(plugin.name, `requirements form a cycle: ${[...path, plugin.name].join(' → ')}`);
    state.set(plugin.name, 'visiting');
    for (const dep of Object.keys(plugin.requires ?? {})) visit(byName.get(dep)!, [...path, plugin.name]);
    state.set(plugin.name, 'done');
    ordered.push(plugin);
  };
  for (const plugin of plugins) visit(plugin, []);
  return ordered;
}
