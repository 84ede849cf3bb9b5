import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a request to a URL a member gave must never reach: this host
 * (loopback, "this network"), private and carrier-grade NAT networks,
 * link-local ones (the cloud metadata service at 169.254.169.254 among
 * them), unique-local IPv6, multicast and reserved ranges. IPv4-mapped IPv6
 * addresses (`::ffff:127.0.0.1`) match their IPv4 rules: BlockList maps them.
 */
const PRIVATE_RANGES: ReadonlyArray<readonly [string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['224.0.0.0', 3, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fec0::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

const PRIVATE = new BlockList();
for (const [network, prefix, type] of PRIVATE_RANGES) PRIVATE.addSubnet(network, prefix, type);

/** The code of the error {@link publicOnlyLookup} fails with. */
export const PRIVATE_HOST_CODE = 'ERR_PRIVATE_HOST';

/**
 * Whether an IP address is one a member's URL must not reach (see above).
 * Anything that is not an IP address counts as private: refusing is the
 * safe answer.
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return true;
  return PRIVATE.check(bare, family === 6 ? 'ipv6' : 'ipv4');
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * `dns.lookup` for `net.connect`, failing with {@link PRIVATE_HOST_CODE}
 * when any address of the host is private. The check and the connection use
 * the same answer, so a name that resolves to a public address when checked
 * and a private one when connected (DNS rebinding) cannot slip through.
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err !== null) return callback(err, []);
    if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) {
      const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to a private address`);
      refused.code = PRIVATE_HOST_CODE;
      return callback(refused, []);
    }
    if (options.all === true) return callback(null, addresses);
    const first = addresses[0] as LookupAddress;
    return callback(null, first.address, first.family);
  });
}
