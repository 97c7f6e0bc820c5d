import { describe, expect, it } from 'vitest';
import { parseTrustedProxies } from './trusted-proxies.js';

describe('parseTrustedProxies', () => {
  it('reads addresses and CIDR ranges of both families, comma or space separated', () => {
    const proxies = parseTrustedProxies('10.0.0.0/8, 192.168.1.7 fd00::/8,::1');
    expect(proxies.check('10.200.3.4', 'ipv4')).toBe(true);
    expect(proxies.check('192.168.1.7', 'ipv4')).toBe(true);
    expect(proxies.check('192.168.1.8', 'ipv4')).toBe(false);
    expect(proxies.check('fd12::5', 'ipv6')).toBe(true);
    expect(proxies.check('::1', 'ipv6')).toBe(true);
    expect(proxies.check('::ffff:10.1.1.1', 'ipv6')).toBe(true);
  });

  it('names the offending entry and its position', () => {
    expect(() => parseTrustedProxies('10.0.0.1, 10.0.0.0/33')).toThrow(
      'entry 2 ("10.0.0.0/33"): prefix length must be 0 to 32',
    );
    expect(() => parseTrustedProxies('proxy.internal')).toThrow(
      'entry 1 ("proxy.internal"): not an IP address or CIDR range',
    );
    expect(() => parseTrustedProxies('fd00::/129')).toThrow('prefix length must be 0 to 128');
    expect(() => parseTrustedProxies('10.0.0.0/8/1')).toThrow('entry 1');
    expect(() => parseTrustedProxies(' , ')).toThrow('at least one');
  });
});
