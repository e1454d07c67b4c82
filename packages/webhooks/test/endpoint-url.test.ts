import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isDomainError } from '@baas/errors';
import { checkEndpointUrl, classifyAddress, parseEndpointUrl, urlInputError, type LookupAll } from '../src/index';

/** A resolver answering from a table (no network); an unknown name does not resolve. */
const table = (answers: Record<string, string[]>): LookupAll => async (hostname) => {
  const list = answers[hostname];
  if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

const dns = table({
  'hooks.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'internal.example.com': ['10.1.2.3'],
  'mixed.example.com': ['93.184.216.34', '192.168.1.10'],
  'metadata.example.com': ['169.254.169.254'],
  'mapped.example.com': ['::ffff:127.0.0.1'],
  'cgnat.example.com': ['100.100.100.100'],
  'ula.example.com': ['fd00::1'],
  'localhost': ['127.0.0.1', '::1'],
  'empty.example.com': [],
});

const reasonOf = async (url: string, policy = {}) => {
  const r = await checkEndpointUrl(url, { lookup: dns, ...policy });
  return r.ok ? 'OK' : r.reason;
};

test('a public https URL passes with every address and the one to connect to', async () => {
  const r = await checkEndpointUrl('https://hooks.example.com/webhooks?x=1', { lookup: dns });
  assert.ok(r.ok);
  assert.equal(r.hostname, 'hooks.example.com');
  assert.deepEqual(r.addresses.map((a) => a.family), [4, 6]);
  assert.deepEqual(r.pinned, { address: '93.184.216.34', family: 4 });
  const literal = await checkEndpointUrl('https://[2606:4700::1111]:8443/h', { lookup: dns });
  assert.ok(literal.ok);
  assert.deepEqual(literal.pinned, { address: '2606:4700::1111', family: 6 });
});

test('scheme, credentials, port and parse refusals are coded', async () => {
  assert.equal(await reasonOf('http://hooks.example.com/'), 'INSECURE_SCHEME');
  assert.equal(await reasonOf('http://hooks.example.com/', { allowHttp: true }), 'OK');
  assert.equal(await reasonOf('ftp://hooks.example.com/'), 'UNSUPPORTED_SCHEME');
  assert.equal(await reasonOf('file:///etc/passwd'), 'UNSUPPORTED_SCHEME');
  assert.equal(await reasonOf('javascript:alert(1)'), 'UNSUPPORTED_SCHEME');
  assert.equal(await reasonOf('https://user:pw@hooks.example.com/'), 'CREDENTIALS_IN_URL');
  assert.equal(await reasonOf('https://user@hooks.example.com/'), 'CREDENTIALS_IN_URL');
  assert.equal(await reasonOf('https://hooks.example.com:0/'), 'DISALLOWED_PORT');
  assert.equal(await reasonOf('https://hooks.example.com:8443/', { allowedPorts: [443] }), 'DISALLOWED_PORT');
  assert.equal(await reasonOf('https://hooks.example.com/', { allowedPorts: [443] }), 'OK');
  for (const bad of ['', '   ', 'not a url', 'https://', 'https://exa mple.com/', '//hooks.example.com/', 'https://[::1/']) assert.equal(await reasonOf(bad), 'MALFORMED_URL', bad);
  assert.equal(await reasonOf(`https://hooks.example.com/${'a'.repeat(2100)}`), 'URL_TOO_LONG');
});

test('non-public addresses are refused after resolution, any one of several answers enough', async () => {
  assert.equal(await reasonOf('https://internal.example.com/'), 'PRIVATE_ADDRESS');
  assert.equal(await reasonOf('https://mixed.example.com/'), 'PRIVATE_ADDRESS');
  assert.equal(await reasonOf('https://metadata.example.com/'), 'PRIVATE_ADDRESS');
  assert.equal(await reasonOf('https://mapped.example.com/'), 'PRIVATE_ADDRESS');
  assert.equal(await reasonOf('https://cgnat.example.com/'), 'PRIVATE_ADDRESS');
  assert.equal(await reasonOf('https://ula.example.com/'), 'PRIVATE_ADDRESS');
  assert.equal(await reasonOf('https://localhost/'), 'PRIVATE_ADDRESS');
  assert.equal(await reasonOf('https://nowhere.example.com/'), 'UNRESOLVABLE');
  assert.equal(await reasonOf('https://empty.example.com/'), 'UNRESOLVABLE');
  // Literal addresses, in the spellings WHATWG URL normalises (decimal, hex, short forms).
  for (const url of ['https://127.0.0.1/', 'https://2130706433/', 'https://0x7f.1/', 'https://127.1/', 'https://[::1]/', 'https://[::ffff:127.0.0.1]/', 'https://[::ffff:a9fe:a9fe]/', 'https://0.0.0.0/', 'https://[::]/', 'https://10.0.0.1/', 'https://172.16.0.1/', 'https://192.168.0.1/', 'https://169.254.169.254/', 'https://[fe80::1]/', 'https://[fc00::1]/', 'https://224.0.0.1/', 'https://100.64.0.1/', 'https://[64:ff9b::a00:1]/']) {
    assert.equal(await reasonOf(url), 'PRIVATE_ADDRESS', url);
  }
});

test('loopback only when allowed (development and tests), and nothing else private with it', async () => {
  assert.equal(await reasonOf('http://localhost:8080/', { allowHttp: true, allowLoopback: true }), 'OK');
  assert.equal(await reasonOf('http://127.0.0.1:8080/', { allowHttp: true, allowLoopback: true }), 'OK');
  assert.equal(await reasonOf('http://[::1]:8080/', { allowHttp: true, allowLoopback: true }), 'OK');
  assert.equal(await reasonOf('http://internal.example.com/', { allowHttp: true, allowLoopback: true }), 'PRIVATE_ADDRESS');
});

test('a slow resolver counts as unresolvable; a throwing one never throws out', async () => {
  const never: LookupAll = () => new Promise(() => {});
  assert.equal(await reasonOf('https://slow.example.com/', { lookup: never, lookupTimeoutMs: 50 }), 'UNRESOLVABLE');
  const boom: LookupAll = async () => {
    throw new Error('boom');
  };
  assert.equal(await reasonOf('https://x.example.com/', { lookup: boom }), 'UNRESOLVABLE');
});

test('refusals become BAD_USER_INPUT with field and reason, the address itself not echoed', async () => {
  const r = await checkEndpointUrl('https://internal.example.com/', { lookup: dns });
  assert.ok(!r.ok);
  const err = urlInputError(r);
  assert.ok(isDomainError(err));
  assert.equal(err.code, 'BAD_USER_INPUT');
  assert.deepEqual(err.details, { field: 'url', reason: 'PRIVATE_ADDRESS', range: 'private' });
  assert.ok(!err.message.includes('10.1.2.3'));
  const p = parseEndpointUrl('http://hooks.example.com/');
  assert.ok(!p.ok);
  assert.deepEqual(urlInputError(p, 'input.url').details, { field: 'input.url', reason: 'INSECURE_SCHEME' });
});

const octet = fc.integer({ min: 0, max: 255 });
const v4 = (a: number, b: number, c: number, d: number) => `${a}.${b}.${c}.${d}`;

test('property: every IPv4 address in a refused block is refused, directly and IPv4-mapped', () => {
  const blocks: Array<[string, fc.Arbitrary<string>]> = [
    ['0/8', fc.tuple(octet, octet, octet).map(([b, c, d]) => v4(0, b, c, d))],
    ['10/8', fc.tuple(octet, octet, octet).map(([b, c, d]) => v4(10, b, c, d))],
    ['100.64/10', fc.tuple(fc.integer({ min: 64, max: 127 }), octet, octet).map(([b, c, d]) => v4(100, b, c, d))],
    ['127/8', fc.tuple(octet, octet, octet).map(([b, c, d]) => v4(127, b, c, d))],
    ['169.254/16', fc.tuple(octet, octet).map(([c, d]) => v4(169, 254, c, d))],
    ['172.16/12', fc.tuple(fc.integer({ min: 16, max: 31 }), octet, octet).map(([b, c, d]) => v4(172, b, c, d))],
    ['192.168/16', fc.tuple(octet, octet).map(([c, d]) => v4(192, 168, c, d))],
    ['224/3 (multicast, reserved, broadcast)', fc.tuple(fc.integer({ min: 224, max: 255 }), octet, octet, octet).map(([a, b, c, d]) => v4(a, b, c, d))],
  ];
  for (const [name, arb] of blocks) {
    fc.assert(
      fc.property(arb, (ip) => {
        assert.equal(classifyAddress(ip).allowed, false, `${name}: ${ip}`);
        assert.equal(classifyAddress(`::ffff:${ip}`).allowed, false, `${name} mapped: ${ip}`);
      }),
      { numRuns: 200 },
    );
  }
});

test('property: an address is allowed only if its IPv4-mapped form gets the same verdict', () => {
  fc.assert(
    fc.property(octet, octet, octet, octet, (a, b, c, d) => {
      const ip = v4(a, b, c, d);
      assert.equal(classifyAddress(ip).allowed, classifyAddress(`::ffff:${ip}`).allowed);
    }),
    { numRuns: 2000 },
  );
  assert.ok(classifyAddress('93.184.216.34').allowed);
  assert.ok(classifyAddress('2606:4700::1111').allowed);
  assert.equal(classifyAddress('fe80::1%eth0').allowed, false);
  assert.equal(classifyAddress('4000::1').allowed, false, 'outside 2000::/3');
  assert.equal(classifyAddress('2002:a00:1::').allowed, false, '6to4');
  assert.equal(classifyAddress('2001::1').allowed, false, 'Teredo');
});
