import { h } from './dom.js';
import { t } from './i18n.js';

/**
 * A select with an apply button and a status line, for a chat setting operators may change:
 * `submit(value)` makes the change and returns the text the status shows once it is applied;
 * what the API refuses is shown in the status line. A viewer sees the select disabled and
 * `denied` (the words for who may change it) instead.
 */
export function settingControl({ id, label, options, current, identity, submit, denied = t('chat.noControl') }) {
  const canChange = identity.role !== 'viewer';
  const select = h(
    'select',
    { id: `${id}-select`, disabled: !canChange, 'aria-label': label },
    options.map(([value, text]) => h('option', { value, selected: value === current }, text)),
  );
  const apply = h('button', { type: 'button', id: `${id}-apply`, disabled: !canChange }, t('chat.apply'));
  const status = h('span', { id: `${id}-status`, class: 'muted' }, canChange ? '' : denied);
  apply.addEventListener('click', async () => {
    apply.disabled = true;
    status.textContent = '';
    status.className = 'muted';
    try {
      status.textContent = await submit(select.value);
      status.className = 'ok';
    } catch (e) {
      status.textContent = `${t('error')}: ${e.message}`;
      status.className = 'error';
    } finally {
      apply.disabled = false;
    }
  });
  return { select, apply, status };
}
