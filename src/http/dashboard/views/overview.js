import { api } from '../api.js';
import { LiveChart } from '../charts.js';
import { h, num, replace, table } from '../dom.js';
import { t } from '../i18n.js';

function card(id, label, value) {
  return h(
    'div',
    { class: 'card', dataset: { stat: id } },
    h('div', { class: 'value' }, value),
    h('div', { class: 'label' }, label),
  );
}

/** Live figures and the last hour of updates/s, replies/s, LLM latency and active chats. */
export async function overviewView(view) {
  const cards = h('div', { class: 'cards', id: 'cards' });
  const charts = {
    updates: new LiveChart(t('chart.updates'), '#2f6fde'),
    replies: new LiveChart(t('chart.replies'), '#1a9d5a'),
    llm: new LiveChart(t('chart.llm'), '#d9822b'),
    active: new LiveChart(t('chart.active'), '#8a4fd6'),
  };
  for (const [name, chart] of Object.entries(charts)) chart.el.id = `chart-${name}`;
  const metricsBody = h('div');
  const error = h('p', { class: 'error', hidden: true });
  view.append(
    cards,
    error,
    h(
      'div',
      { class: 'charts' },
      Object.values(charts).map((c) => c.el),
    ),
    h('details', { class: 'metrics' }, h('summary', {}, t('overview.metrics')), metricsBody),
  );

  const history = await api('/api/stats/history');
  charts.updates.setData(history.t, history.updatesPerS);
  charts.replies.setData(history.t, history.repliesPerS);
  charts.llm.setData(history.t, history.llmLatencyMs);
  charts.active.setData(history.t, history.activeChats);

  const render = (s) => {
    const a = s.actors;
    replace(
      cards,
      card('updatesPerS', t('stat.updatesPerS'), num(s.throughput.updatesPerS)),
      card('repliesPerS', t('stat.repliesPerS'), num(s.throughput.repliesPerS)),
      card('live', t('stat.live'), num(a.live, 0)),
      card('total', t('stat.total'), num(s.chats.known, 0)),
      card('llmP95', t('stat.llmP95'), num(s.llm.latencyMs?.p95)),
      card('responseP95', t('stat.responseP95'), num(s.responseTimeMs?.p95)),
      card('turnP99', t('stat.turnP99'), num(a.turnLatencyMs.p99, 2)),
      card('quarantined', t('stat.quarantined'), num(a.quarantined, 0)),
      card('mailbox', t('stat.mailbox'), num(a.mailboxDepthSum, 0)),
      card('llmRequests', t('stat.llmRequests'), num(s.llm.requests, 0)),
      card('uptime', t('stat.uptime'), num(s.uptimeS / 3600, 2)),
    );
    if (s.sample !== null) {
      charts.updates.push(s.sample.t, s.sample.updatesPerS);
      charts.replies.push(s.sample.t, s.sample.repliesPerS);
      charts.llm.push(s.sample.t, s.sample.llmLatencyMs);
      charts.active.push(s.sample.t, s.sample.activeChats);
    }
    const rows = [
      ...Object.entries(s.counters).map(([name, value]) => [name, num(value, 2)]),
      ...Object.entries(s.histograms).map(([name, x]) => [
        name,
        `n=${num(x.count, 0)} p50=${num(x.p50, 2)} p95=${num(x.p95, 2)} p99=${num(x.p99, 2)}`,
      ]),
    ].sort((x, y) => x[0].localeCompare(y[0]));
    replace(metricsBody, table(['metric', 'value'], rows));
  };

  const tick = async () => {
    try {
      render(await api('/api/stats'));
      error.hidden = true;
    } catch (e) {
      error.textContent = `${t('error')}: ${e.message}`;
      error.hidden = false;
    }
  };
  await tick();

  const onResize = () => Object.values(charts).forEach((c) => c.resize());
  view.addEventListener('lekha:mounted', () => Object.values(charts).forEach((c) => c.mount()));
  window.addEventListener('resize', onResize);
  // The server samples every sampleMs; polling faster would only repeat points.
  const timer = setInterval(tick, Math.min(5000, Math.max(500, history.sampleMs)));
  return () => {
    clearInterval(timer);
    window.removeEventListener('resize', onResize);
    Object.values(charts).forEach((c) => c.destroy());
  };
}
