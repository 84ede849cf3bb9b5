import { h } from './dom.js';
import { t } from './i18n.js';

/**
 * A form for settings described by a JSON Schema object: strings, numbers,
 * integers, booleans and enums become inputs, nested objects become
 * fieldsets. What the API refuses comes back as issues (`path: message`),
 * each shown next to its field (`showIssues`).
 * @param {Record<string, unknown>} schema the plugin's `settingsSchema`
 * @param {Record<string, unknown>} values the settings in effect
 * @param {{ id: string, disabled: boolean, onSubmit: (settings: Record<string, unknown>) => Promise<void> }} options
 */
export function settingsForm(schema, values, { id, disabled, onSubmit }) {
  const readers = [];
  const issueSlots = new Map();
  const general = h('p', { class: 'error', hidden: true, dataset: { issues: 'general' } });
  const status = h('span', { class: 'muted', dataset: { status: id } });

  const fieldsOf = (objectSchema, current, path) => {
    const properties = objectSchema?.properties ?? {};
    const required = new Set(objectSchema?.required ?? []);
    return Object.entries(properties).map(([key, field]) => {
      const fullPath = path === '' ? key : `${path}.${key}`;
      const value = current?.[key];
      if (field.type === 'object' && field.properties !== undefined) {
        return h(
          'fieldset',
          { dataset: { field: fullPath } },
          h('legend', {}, field.title ?? key),
          fieldsOf(field, value ?? {}, fullPath),
        );
      }
      const input = inputFor(field, value, `${id}-${fullPath}`, disabled);
      readers.push({ path: fullPath, read: () => readInput(field, input), required: required.has(key) });
      const issue = h('span', { class: 'error', dataset: { issue: fullPath } });
      issueSlots.set(fullPath, issue);
      return h(
        'div',
        { class: 'field', dataset: { field: fullPath } },
        h('label', { for: input.id }, field.title ?? key),
        input,
        field.description ? h('span', { class: 'hint' }, field.description) : null,
        issue,
      );
    });
  };

  const fields = fieldsOf(schema, values, '');
  const save = h('button', { type: 'submit', disabled }, t('plugins.save'));
  const form = h(
    'form',
    { id, class: 'settings' },
    fields.length === 0 ? h('p', { class: 'muted' }, t('plugins.noSettings')) : fields,
    general,
    h('p', { class: 'row' }, save, status),
  );

  const showIssues = (issues, message) => {
    for (const slot of issueSlots.values()) slot.textContent = '';
    const unplaced = [];
    for (const issue of issues) {
      const colon = issue.indexOf(':');
      const path = colon > 0 ? issue.slice(0, colon).trim() : '';
      const slot = issueSlots.get(path);
      if (slot === undefined) unplaced.push(issue);
      else slot.textContent = issue.slice(colon + 1).trim();
    }
    const text = issues.length === 0 ? message : unplaced.join('; ');
    general.textContent = text ? `${t('error')}: ${text}` : '';
    general.hidden = !text;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const settings = {};
    for (const { path, read } of readers) {
      const value = read();
      if (value === undefined) continue;
      const keys = path.split('.');
      let target = settings;
      for (const k of keys.slice(0, -1)) target = target[k] ??= {};
      target[keys[keys.length - 1]] = value;
    }
    save.disabled = true;
    status.textContent = '';
    try {
      await onSubmit(settings);
      showIssues([], '');
      status.textContent = t('plugins.saved');
      status.className = 'ok';
    } catch (e) {
      showIssues(e.issues ?? [], e.message);
      status.textContent = '';
    } finally {
      save.disabled = disabled;
    }
  });
  return form;
}

function inputFor(field, value, id, disabled) {
  if (Array.isArray(field.enum)) {
    return h(
      'select',
      { id, name: id, disabled },
      h('option', { value: '' }, '—'),
      field.enum.map((option, i) => h('option', { value: String(i), selected: option === value }, String(option))),
    );
  }
  if (field.type === 'boolean') {
    // Three states, not a checkbox: "—" leaves the setting out, so the default (or the global value) applies.
    return h(
      'select',
      { id, name: id, disabled },
      h('option', { value: '' }, '—'),
      h('option', { value: 'true', selected: value === true }, t('plugins.yes')),
      h('option', { value: 'false', selected: value === false }, t('plugins.no')),
    );
  }
  if (field.type === 'number' || field.type === 'integer') {
    return h('input', {
      id,
      name: id,
      type: 'number',
      step: field.type === 'integer' ? '1' : 'any',
      value: typeof value === 'number' ? String(value) : '',
      disabled,
    });
  }
  const secret = field.format === 'password' || field.writeOnly === true;
  return h('input', {
    id,
    name: id,
    type: secret ? 'password' : 'text',
    autocomplete: 'off',
    value: typeof value === 'string' ? value : '',
    disabled,
  });
}

/** The field's value as the schema's type, or undefined to leave the setting out (the default applies). */
function readInput(field, input) {
  if (Array.isArray(field.enum)) return input.value === '' ? undefined : field.enum[Number(input.value)];
  if (field.type === 'boolean') return input.value === '' ? undefined : input.value === 'true';
  if (field.type === 'number' || field.type === 'integer') return input.value === '' ? undefined : Number(input.value);
  return input.value === '' ? undefined : input.value;
}
