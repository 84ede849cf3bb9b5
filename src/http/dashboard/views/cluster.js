import { api } from '../api.js';
import { h, num, replace, table } from '../dom.js';
import { refreshEvery } from '../refresh.js';
import { formatDate, t } from '../i18n.js';

/** Partition numbers as runs: `0–3, 7, 9–10`. */
export function partitionRuns(partitions) {
  const sorted = [...partitions].sort((a, b) => a - b);
  const runs = [];
  for (const p of sorted) {
    const last = runs.at(-1);
    if (last !== undefined && p === last[1] + 1) last[1] = p;
    else runs.push([p, p]);
  }
  return runs.map(([from, to]) => (from === to ? String(from) : `${from}–${to}`)).join(', ') || '—';
}

const seconds = (ms) => `${num(ms / 1000, 1)} ${t('cluster.s')}`;

/**
 * Cluster mode: each member with its partitions, the leader (which polls
 * Telegram), heartbeat age and whether it is stopping; then every
 * partition's lease — owner, fencing epoch, expiry — and its stream lag.
 * Refreshed every few seconds.
 */
export async function clusterView(view) {
  const error = h('p', { class: 'error', hidden: true, id: 'cluster-error' });
  const body = h('div');
  view.append(h('h1', {}, t('nav.cluster')), h('p', { class: 'hint' }, t('cluster.hint')), error, body);

  const render = (c) => {
    if (!c.enabled) {
      replace(body, h('p', { class: 'muted', id: 'cluster-off' }, t('cluster.off')));
      return;
    }
    const members = c.members.map((m) =>
      h(
        'tr',
        { dataset: { member: m.id, leader: String(m.leader), stopping: String(m.stopping) } },
        h(
          'td',
          {},
          m.id,
          m.leader ? [' ', h('span', { class: 'badge', dataset: { badge: 'leader' } }, t('cluster.leader'))] : '',
          m.id === c.memberId ? [' ', h('span', { class: 'muted' }, t('cluster.thisMember'))] : '',
        ),
        h('td', { class: 'num', dataset: { count: String(m.partitions.length) } }, String(m.partitions.length)),
        h('td', { dataset: { partitions: '' } }, partitionRuns(m.partitions)),
        h('td', { class: m.heartbeatAgeMs > 3000 ? 'error' : '' }, seconds(m.heartbeatAgeMs)),
        h('td', { class: m.stopping ? 'error' : 'ok' }, m.stopping ? t('cluster.stopping') : t('cluster.serving')),
        h('td', { class: 'muted' }, m.httpUrl ?? '—'),
      ),
    );
    const unowned = c.partitionLeases.filter((p) => p.owner === null).length;
    const lag = c.partitionLeases.reduce((sum, p) => sum + (p.lag ?? 0), 0);
    const leases = c.partitionLeases.map((p) =>
      h(
        'tr',
        { dataset: { partition: String(p.partition), owner: p.owner ?? '' } },
        h('td', { class: 'num' }, String(p.partition)),
        h('td', { class: p.owner === null ? 'error' : '' }, p.owner ?? t('cluster.nobody')),
        h('td', { class: 'num' }, String(p.epoch)),
        h('td', { class: 'num' }, p.lag === null ? '—' : num(p.lag, 0)),
        h('td', {}, p.expiresAtMs === null ? '—' : formatDate(new Date(p.expiresAtMs).toISOString())),
      ),
    );
    replace(
      body,
      h(
        'div',
        { class: 'cards' },
        card(t('cluster.members'), String(c.members.length), 'members'),
        card(t('cluster.partitions'), String(c.partitions), 'partitions'),
        card(t('cluster.leader'), c.leader ?? t('cluster.nobody'), 'leader'),
        card(t('cluster.unowned'), String(unowned), 'unowned'),
        card(t('cluster.totalLag'), num(lag, 0), 'lag'),
      ),
      h(
        'div',
        { class: 'panel' },
        h('h2', {}, t('cluster.members')),
        table(
          [
            t('cluster.member'),
            t('cluster.partitionCount'),
            t('cluster.partitions'),
            t('cluster.heartbeat'),
            t('alerts.state'),
            t('cluster.address'),
          ],
          members,
          { id: 'cluster-members' },
        ),
      ),
      h(
        'div',
        { class: 'panel' },
        h('h2', {}, t('cluster.leases')),
        table(
          [t('cluster.partition'), t('cluster.owner'), t('cluster.epoch'), t('cluster.lag'), t('cluster.expires')],
          leases,
          { id: 'cluster-partitions' },
        ),
      ),
    );
  };

  const refresh = async () => render(await api('/api/cluster'));
  await refresh();
  return refreshEvery(3000, refresh, error);
}

function card(label, value, name) {
  return h(
    'div',
    { class: 'card', dataset: { card: name } },
    h('div', { class: 'value' }, value),
    h('div', { class: 'label' }, label),
  );
}
