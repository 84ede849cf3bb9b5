export type ProbeResult = { ready: true } | { ready: false; reason: string };

/**
 * One thing `/readyz` checks (storage reachable, Telegram ingress running,
 * …). A probe that throws or takes longer than the probe timeout counts as
 * not ready, with the error as the reason.
 */
export interface ReadinessProbe {
  readonly name: string;
  check(): ProbeResult | Promise<ProbeResult>;
}
