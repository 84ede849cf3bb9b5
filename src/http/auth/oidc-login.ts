import * as client from 'openid-client';
import type { Clock } from '../../runtime/index.js';
import type { OidcSettings } from './login-settings.js';
import { LoginRefusedError } from './login-refused-error.js';

interface PendingFlow {
  state: string;
  nonce: string;
  verifier: string;
  untilMs: number;
}

/** How long a browser may spend at the identity provider. */
const flowTtlMs = 10 * 60_000;
/** Pending logins kept at most; the oldest go first (a flood of started logins cannot grow memory). */
const maxFlows = 10_000;

/**
 * The OpenID Connect authorization-code flow with PKCE (S256), `state` and
 * `nonce`, through `openid-client`. A started login is remembered in this
 * process under a random flow id (the browser holds it in a short-lived
 * cookie) and can be finished once. The provider's metadata is discovered
 * on first use and again after a failure.
 */
export class OidcLogin {
  private configuration: Promise<client.Configuration> | undefined;
  private readonly flows = new Map<string, PendingFlow>();

  constructor(
    private readonly settings: OidcSettings,
    readonly redirectUri: string,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  /** A new flow: its id (for the cookie) and where to send the browser. */
  async start(): Promise<{ flowId: string; url: string }> {
    const config = await this.config();
    const now = this.clock.now();
    for (const [id, flow] of this.flows) if (flow.untilMs <= now || this.flows.size >= maxFlows) this.flows.delete(id);
    const flow: PendingFlow = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      untilMs: now + flowTtlMs,
    };
    const flowId = client.randomState();
    this.flows.set(flowId, flow);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: this.settings.scopes,
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
    });
    return { flowId, url: url.href };
  }

  /**
   * Checks the provider's answer (`query`: the callback's query string) for
   * the flow `flowId` and redeems the code; answers the user's claims (ID
   * token, completed from userinfo when it lacks the e-mail or role claim).
   * Throws {@link LoginRefusedError}.
   */
  async finish(flowId: string | undefined, query: string): Promise<Record<string, unknown>> {
    const flow = flowId === undefined ? undefined : this.flows.get(flowId);
    if (flowId !== undefined) this.flows.delete(flowId);
    if (flow === undefined || flow.untilMs <= this.clock.now()) throw new LoginRefusedError('unknown-flow');
    const config = await this.config();
    const current = new URL(this.redirectUri);
    current.search = query;
    let tokens;
    try {
      tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new LoginRefusedError(isProviderAnswer(error) ? 'provider-error' : 'invalid-response');
    }
    const claims: Record<string, unknown> = { ...tokens.claims() };
    const wanted = claims.email === undefined || claims[this.settings.roleClaim] === undefined;
    if (wanted && config.serverMetadata().userinfo_endpoint !== undefined) {
      try {
        const info = await client.fetchUserInfo(config, tokens.access_token, String(claims.sub));
        for (const [name, value] of Object.entries(info)) claims[name] ??= value;
      } catch {
        // Userinfo is a completion: the ID token's own claims still decide.
      }
    }
    return claims;
  }

  private config(): Promise<client.Configuration> {
    this.configuration ??= (async () => {
      const issuer = new URL(this.settings.issuer);
      return client.discovery(
        issuer,
        this.settings.clientId,
        undefined,
        client.ClientSecretBasic(this.settings.clientSecret),
        // The schema allows http only for a provider on this machine.
        issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined,
      );
    })();
    const attempt = this.configuration;
    attempt.catch(() => {
      if (this.configuration === attempt) this.configuration = undefined;
    });
    return attempt;
  }
}

/** An error answer of the provider (denied consent, a refused code), as opposed to an answer that failed our checks. */
function isProviderAnswer(error: unknown): boolean {
  return (
    error instanceof client.AuthorizationResponseError ||
    error instanceof client.ResponseBodyError ||
    (error instanceof TypeError && !(error instanceof client.ClientError))
  );
}
