import { createHmac } from 'node:crypto';

/**
 * The CSRF signing key (`HttpOptions.csrfKey`) every member of a cluster
 * derives from one secret they all hold, so a CSRF token one member handed
 * the dashboard is accepted by the member a chat call is forwarded to. The
 * secret itself never signs anything.
 */
export function clusterCsrfKey(sharedSecret: string): Buffer {
  if (sharedSecret.length < 16) throw new Error('the shared secret for the CSRF key must have at least 16 characters');
  return createHmac('sha256', sharedSecret).update('lekha admin csrf key v1').digest();
}
