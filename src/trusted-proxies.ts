import { BlockList, isIP } from 'node:net';

/**
 * Parses ALERTBOOK_TRUSTED_PROXIES: IP addresses and CIDR ranges, IPv4 or
 * IPv6, separated by commas or spaces (`10.0.0.0/8, 192.168.1.7, fd00::/8`).
 * Throws naming the offending entry and its position.
 */
export function parseTrustedProxies(text: string): BlockList {
  const proxies = new BlockList();
  const entries = text.split(/[\s,]+/).filter(Boolean);
  if (entries.length === 0) throw new Error('expected at least one IP address or CIDR range, e.g. 10.0.0.0/8');
  entries.forEach((entry, index) => {
    const fail = (why: string) => new Error(`entry ${index + 1} ("${entry}"): ${why}`);
    const [address = '', prefix, ...rest] = entry.split('/');
    const version = isIP(address);
    if (version === 0 || rest.length > 0) throw fail('not an IP address or CIDR range');
    const type = version === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) return proxies.addAddress(address, type);
    const maxPrefix = version === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > maxPrefix) throw fail(`prefix length must be 0 to ${maxPrefix}`);
    proxies.addSubnet(address, Number(prefix), type);
  });
  return proxies;
}
