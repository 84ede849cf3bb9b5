import type { AnomalyActionStatus, AnomalyAlert, AnomalyAlerts } from '../ports/index.js';

/**
 * The process's recent anomaly alerts, newest last, for `/api/alerts` and
 * the dashboard: a ring of at most `capacity` (the metric
 * `lekha_anomalies_total` keeps counting beyond it).
 */
export class AnomalyLog implements AnomalyAlerts {
  private readonly alerts: AnomalyAlert[] = [];
  private nextId = 1;

  constructor(private readonly capacity = 200) {}

  record(alert: Omit<AnomalyAlert, 'id'>): number {
    const id = this.nextId++;
    this.alerts.push({ ...alert, id });
    if (this.alerts.length > this.capacity) this.alerts.shift();
    return id;
  }

  settle(id: number, status: AnomalyActionStatus, outcome: string | null): void {
    const alert = this.alerts.find((a) => a.id === id);
    if (alert === undefined) return;
    alert.status = status;
    alert.outcome = outcome;
  }

  recent(limit: number): AnomalyAlert[] {
    return this.alerts
      .slice(-limit)
      .reverse()
      .map((a) => ({ ...a }));
  }
}
