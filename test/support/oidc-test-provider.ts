import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';

/** A user the test identity provider knows. */
export interface TestAccount {
  id: string;
  email: string;
  emailVerified?: boolean;
  groups?: string[];
  name?: string;
}

/**
 * A real OpenID Connect provider (`oidc-provider`) on a free port of this
 * machine, with one confidential client. Its login and consent pages are
 * replaced by a step that signs in `nextAccount` at once, so a test drives
 * the whole authorization-code flow over HTTP without a form. PKCE is
 * required of every client.
 */
export class OidcTestProvider {
  /** Who the next login signs in as. */
  nextAccount: string;

  private constructor(
    readonly issuer: string,
    readonly clientId: string,
    readonly clientSecret: string,
    private readonly server: Server,
    accounts: readonly TestAccount[],
  ) {
    this.nextAccount = accounts[0]?.id ?? '';
  }

  static async start(options: {
    accounts: readonly TestAccount[];
    redirectUri: string;
    clientSecret: string;
  }): Promise<OidcTestProvider> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const issuer = `http://127.0.0.1:${port}`;
    const clientId = 'lekha-dashboard';
    const byId = new Map(options.accounts.map((a) => [a.id, a]));
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: clientId,
          client_secret: options.clientSecret,
          redirect_uris: [options.redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
      findAccount: (_ctx: unknown, id: string) => {
        const account = byId.get(id);
        if (account === undefined) return undefined;
        return {
          accountId: id,
          claims: () => ({
            sub: id,
            email: account.email,
            email_verified: account.emailVerified ?? true,
            name: account.name ?? id,
            groups: account.groups ?? [],
          }),
        };
      },
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      pkce: { required: () => true },
      cookies: { keys: ['oidc-test-provider-cookie-key'] },
    });
    const test = new OidcTestProvider(issuer, clientId, options.clientSecret, server, options.accounts);
    const handle = provider.callback();
    server.on('request', (req, res) => {
      if (req.url?.startsWith('/interaction/') !== true) {
        handle(req, res);
        return;
      }
      void (async () => {
        const details = await provider.interactionDetails(req, res);
        const grant = new provider.Grant({ accountId: test.nextAccount, clientId });
        grant.addOIDCScope(String(details.params.scope));
        const grantId = await grant.save();
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: test.nextAccount }, consent: { grantId } },
          { mergeWithLastSubmission: false },
        );
      })().catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    return test;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
