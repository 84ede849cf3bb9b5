import { api } from '../api.js';
import { h, num, replace, table } from '../dom.js';
import { refreshEvery } from '../refresh.js';
import { formatDate, t } from '../i18n.js';

/** A stalled ingress, quarantined chats (with release), dead letters (replay, discard), circuit breakers, recent errors and failure counters. */
export async function alertsView(view, { identity }) {
  const body = h('div');
  const error = h('p', { class: 'error', hidden: true });
  view.append(h('h1', {}, t('nav.alerts')), error, body);
  const canRelease = identity.role !== 'viewer';

  const act = (path, method) => async () => {
    try {
      await api(path, { method });
      error.hidden = true;
    } catch (e) {
      error.textContent = `${t('error')}: ${e.message}`;
      error.hidden = false;
    }
    await refresh();
  };

  const render = (a, letters) => {
    const stalled = a.ingress?.stalled
      ? h(
          'p',
          { class: 'error', id: 'ingress-stalled' },
          t('alerts.stalled')
            .replace('{n}', String(a.ingress.updatesWaiting))
            .replace('{s}', String(Math.round(a.ingress.stalledForS))),
        )
      : '';
    const deadLetters = letters.items.map((l) => [
      formatDate(l.failedAt),
      h('a', { href: `#/chats/${l.chatId}` }, String(l.chatId)),
      `${l.updateId}`,
      l.kind,
      l.reason,
      canRelease
        ? h(
            'span',
            {},
            h(
              'button',
              {
                type: 'button',
                dataset: { replay: String(l.id) },
                onclick: act(`/api/dead-letters/${l.id}/replay`, 'POST'),
              },
              t('alerts.replay'),
            ),
            ' ',
            h(
              'button',
              {
                type: 'button',
                dataset: { discard: String(l.id) },
                onclick: act(`/api/dead-letters/${l.id}`, 'DELETE'),
              },
              t('alerts.discard'),
            ),
          )
        : '',
    ]);
    const quarantined = a.quarantined.map((q) => [
      h('a', { href: `#/chats/${q.chatId}` }, String(q.chatId)),
      q.reason,
      formatDate(q.until),
      canRelease
        ? h(
            'button',
            {
              type: 'button',
              onclick: async () => (await api(`/api/chats/${q.chatId}/release`, { method: 'POST' }), refresh()),
            },
            t('alerts.release'),
          )
        : '',
    ]);
    replace(
      body,
      stalled,
      h(
        'div',
        { class: 'cards' },
        ['deadLetters', 'persistFailures', 'overflowRejected', 'restarts'].map((k) =>
          h(
            'div',
            { class: 'card', dataset: { stat: k } },
            h('div', { class: 'value' }, num(a.counters[k], 0)),
            h('div', { class: 'label' }, t(`alerts.${k}`)),
          ),
        ),
      ),
      h(
        'div',
        { class: 'panel' },
        h('h2', {}, t('alerts.anomalies')),
        h('p', { class: 'hint' }, t('alerts.anomaliesHint')),
        table(
          [
            t('col.date'),
            t('alerts.chat'),
            t('alerts.kind'),
            t('alerts.detail'),
            t('alerts.action'),
            t('alerts.outcome'),
          ],
          (a.anomalies ?? []).map((x) => [
            formatDate(x.at),
            h('a', { href: `#/chats/${x.chatId}` }, String(x.chatId)),
            t(`anomaly.${x.kind}`),
            x.detail,
            t(`anomaly.action.${x.action}`),
            h(
              'span',
              { class: x.status === 'refused' || x.status === 'failed' ? 'error' : '' },
              [t(`anomaly.status.${x.status}`), x.outcome ? ` — ${x.outcome}` : ''].join(''),
            ),
          ]),
          { id: 'anomalies' },
        ),
      ),
      h(
        'div',
        { class: 'panel' },
        h('h2', {}, t('alerts.quarantined')),
        table([t('alerts.chat'), t('alerts.reason'), t('alerts.until'), ''], quarantined, { id: 'quarantined' }),
      ),
      h(
        'div',
        { class: 'panel' },
        h('h2', {}, `${t('alerts.letters')} (${a.deadLetters ?? '—'})`),
        h('p', { class: 'hint' }, t('alerts.lettersHint')),
        table(
          [t('col.date'), t('alerts.chat'), t('alerts.update'), t('alerts.kind'), t('alerts.reason'), ''],
          deadLetters,
          { id: 'dead-letters' },
        ),
      ),
      h(
        'div',
        { class: 'panel' },
        h('h2', {}, t('alerts.breakers')),
        table(
          [t('alerts.breaker'), t('alerts.state'), t('alerts.failures')],
          a.breakers.map((b) => [
            b.name,
            h('span', { class: `breaker breaker-${b.state}` }, b.state),
            num(b.failures, 0),
          ]),
          { id: 'breakers' },
        ),
      ),
      h(
        'div',
        { class: 'panel' },
        h('h2', {}, t('alerts.errors')),
        table(
          [t('col.date'), t('alerts.level'), t('alerts.message')],
          a.recentErrors.map((e) => [
            formatDate(e.at),
            e.level,
            [e.message, e.code ? ` [${e.code}]` : '', e.detail ? ` — ${e.detail}` : ''].join(''),
          ]),
          { id: 'recent-errors' },
        ),
      ),
    );
  };
  const refresh = async () => {
    const [alerts, letters] = await Promise.all([api('/api/alerts'), api('/api/dead-letters?limit=100')]);
    render(alerts, letters);
  };
  await refresh();
  return refreshEvery(5000, refresh, error);
}
