import { api, withQuery } from '../api.js';
import { h, num, replace, table } from '../dom.js';
import { refreshEvery } from '../refresh.js';
import { formatDate, t } from '../i18n.js';

const cards = [
  ['executed', (s) => num(s.executed, 0)],
  ['succeeded', (s) => num(s.succeeded, 0)],
  ['failed', (s) => num(s.failed, 0)],
  ['retried', (s) => num(s.retried, 0)],
  ['inDoubt', (s) => num(s.inDoubt, 0)],
  ['lateP50', (s) => num(s.lateMs.p50, 0)],
  ['lateP99', (s) => num(s.lateMs.p99, 0)],
];

/**
 * The scheduler: its figures (polled), upcoming jobs and failed or in-doubt
 * ones, with cancel and retry for operators. Job lists load on open, after
 * an action and on request only: an admin's read of them (texts included)
 * is audited, so it is not repeated on a timer.
 */
export async function schedulerView(view, { identity }) {
  const canChange = identity.role !== 'viewer';
  const error = h('p', { class: 'error', hidden: true, id: 'scheduler-error' });
  const stats = h('div', { class: 'cards', id: 'scheduler-stats' });
  const upcoming = h('div');
  const failed = h('div');
  const reload = h('button', { type: 'button', id: 'jobs-reload', class: 'link' }, t('scheduler.reload'));
  view.append(
    h('h1', {}, t('nav.scheduler')),
    error,
    stats,
    h('div', { class: 'panel' }, h('h2', {}, t('scheduler.upcoming'), ' ', reload), upcoming),
    h(
      'div',
      { class: 'panel' },
      h('h2', {}, t('scheduler.failedJobs')),
      h('p', { class: 'hint' }, t('scheduler.inDoubtHint')),
      failed,
    ),
  );

  const fail = (e) => {
    error.textContent = `${t('error')}: ${e.message}`;
    error.hidden = false;
  };
  const act = (url, method) => async () => {
    try {
      await api(url, { method });
      error.hidden = true;
    } catch (e) {
      fail(e);
    }
    await Promise.all([loadStats(), loadJobs()]).catch(fail);
  };
  const text = (j) => (j.text === null ? h('span', { class: 'muted' }, t('scheduler.hidden')) : j.text);
  const chat = (j) => (j.chatId === null ? '—' : h('a', { href: `#/chats/${j.chatId}` }, String(j.chatId)));
  const button = (label, onclick, data) => h('button', { type: 'button', onclick, dataset: data }, label);

  const loadStats = async () => {
    const s = await api('/api/scheduler');
    replace(
      stats,
      cards.map(([key, value]) =>
        h(
          'div',
          { class: 'card', dataset: { stat: key } },
          h('div', { class: 'value' }, value(s)),
          h('div', { class: 'label' }, t(`scheduler.${key}`)),
        ),
      ),
    );
  };
  const loadJobs = async () => {
    const [pending, broken] = await Promise.all([
      api(withQuery('/api/scheduler/jobs', { status: 'pending', limit: 100 })),
      api('/api/scheduler/jobs?status=failed&status=in_doubt&limit=100'),
    ]);
    replace(
      upcoming,
      table(
        ['id', t('scheduler.kind'), t('alerts.chat'), t('scheduler.due'), t('scheduler.attempts'), t('col.text'), ''],
        pending.items.map((j) => [
          String(j.id),
          j.kind,
          chat(j),
          formatDate(new Date(j.dueAtMs).toISOString()),
          `${j.attempts}/${j.maxAttempts}`,
          text(j),
          canChange
            ? button(t('scheduler.cancel'), act(`/api/scheduler/jobs/${j.id}`, 'DELETE'), { cancel: String(j.id) })
            : '',
        ]),
        { id: 'jobs-upcoming' },
      ),
    );
    replace(
      failed,
      table(
        [
          'id',
          t('scheduler.kind'),
          t('alerts.chat'),
          t('alerts.state'),
          t('scheduler.attempts'),
          t('scheduler.lastError'),
          t('scheduler.updated'),
          '',
        ],
        broken.items.map((j) =>
          h(
            'tr',
            { class: 'failed', dataset: { job: String(j.id) } },
            [
              String(j.id),
              j.kind,
              chat(j),
              t(`scheduler.status.${j.status}`),
              `${j.attempts}/${j.maxAttempts}`,
              j.lastError ?? '—',
              formatDate(new Date(j.updatedAtMs).toISOString()),
              canChange
                ? button(t('scheduler.retry'), act(`/api/scheduler/jobs/${j.id}/retry`, 'POST'), {
                    retry: String(j.id),
                  })
                : '',
            ].map((cell) => h('td', {}, cell)),
          ),
        ),
        { id: 'jobs-failed' },
      ),
    );
  };
  reload.addEventListener('click', () => loadJobs().then(() => (error.hidden = true), fail));

  await Promise.all([loadStats(), loadJobs()]);
  return refreshEvery(5000, loadStats, error);
}
