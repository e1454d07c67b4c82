import ipaddr from 'ipaddr.js';

/**
 * Which IP addresses a webhook may be sent to (pure). Only public unicast: `ipaddr.js`'s `range()`
 * must be `unicast` (IPv4) or the address must be in 2000::/3 and `unicast` (IPv6). Everything else
 * is refused: private (RFC 1918), loopback, link-local (169.254/16, the cloud metadata address,
 * fe80::/10), unique-local (fc00::/7), multicast, broadcast, unspecified, CGNAT (100.64/10),
 * reserved and documentation ranges, and IPv6 forms that embed or translate an IPv4 address
 * (IPv4-mapped ::ffff:0:0/96 is judged by the IPv4 it carries; NAT64 64:ff9b::/96, 6to4, Teredo
 * and IPv4-compatible ::/96 are refused outright, since where they lead is the translator's say).
 */
export type AddressVerdict = { allowed: true; address: string; family: 4 | 6 } | { allowed: false; address: string; range: string; loopback: boolean };

export type AddressPolicy = {
  /** Allow 127.0.0.0/8 and ::1 (development and tests only). */
  allowLoopback?: boolean;
};

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

/** The verdict on one literal address (`address` as written, an IPv6 zone index refused). */
export function classifyAddress(address: string, policy: AddressPolicy = {}): AddressVerdict {
  if (!ipaddr.isValid(address) || address.includes('%')) return { allowed: false, address, range: 'invalid', loopback: false };
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  const loopback = range === 'loopback';
  if (loopback && policy.allowLoopback) return { allowed: true, address: ip.toString(), family: ip.kind() === 'ipv4' ? 4 : 6 };
  if (range !== 'unicast') return { allowed: false, address: ip.toString(), range, loopback };
  if (ip.kind() === 'ipv6' && !(ip as ipaddr.IPv6).match(GLOBAL_UNICAST_V6)) return { allowed: false, address: ip.toString(), range: 'notGlobalUnicast', loopback: false };
  return { allowed: true, address: ip.toString(), family: ip.kind() === 'ipv4' ? 4 : 6 };
}
