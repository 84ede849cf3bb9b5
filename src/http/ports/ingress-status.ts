/** The Telegram ingress as the alerts panel shows it. */
export interface IngressStatus {
  /** Updates waited past the stall threshold without the confirmed offset moving. */
  stalled: boolean;
  stalledForMs: number;
  /** Updates handed to the runtime and not yet finished. */
  updatesWaiting: number;
}

export interface IngressStatusSource {
  ingress(): IngressStatus;
}
