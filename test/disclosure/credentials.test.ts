/** Passwords, API tokens, TOTP, sessions and login rate limiting, as pure functions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkApiToken,
  checkPassword,
  checkSession,
  checkTotp,
  hashPassword,
  loginAllowed,
  needsRehash,
  newApiToken,
  newRecoveryCodes,
  newSession,
  newTotpSecret,
  scryptRaw,
  tokenPrefix,
  totpCode,
  totpUri,
  useRecoveryCode,
  verifyPassword,
  type LoginAttempt,
} from '../../src/disclosure/index.js';
import { seededRandom, TEST_SCRYPT } from './helpers.js';

test('scrypt is RFC 7914’s (its test vectors, §12)', async () => {
  assert.equal(
    (await scryptRaw('', new Uint8Array(0), { ln: 4, r: 1, p: 1 }, 64)).toString('hex'),
    '77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906',
  );
  assert.equal(
    (await scryptRaw('password', new TextEncoder().encode('NaCl'), { ln: 10, r: 8, p: 16 }, 64)).toString('hex'),
    'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640',
  );
});

test('password hashes: PHC strings with their parameters, salted, verified, re-hashed when parameters change', async () => {
  const random = seededRandom('pw');
  const h = await hashPassword('correct horse battery', random, TEST_SCRYPT);
  assert.match(h, /^\$scrypt\$ln=4,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  assert.notEqual(await hashPassword('correct horse battery', random, TEST_SCRYPT), h, 'a new salt each time');
  assert.equal(await verifyPassword('correct horse battery', h), true);
  assert.equal(await verifyPassword('correct horse batterY', h), false);
  assert.equal(await verifyPassword('Ａbc', await hashPassword('Abc', random, TEST_SCRYPT)), true, 'NFKC: a full-width letter is the letter');
  assert.equal(needsRehash(h, TEST_SCRYPT), false);
  assert.equal(needsRehash(h, { ln: 17, r: 8, p: 1 }), true);
  for (const bad of ['', 'plain', '$scrypt$ln=40,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA']) {
    assert.equal(await verifyPassword('x', bad), false, `a malformed or hostile hash is no match: ${bad}`);
    assert.equal(needsRehash(bad, TEST_SCRYPT), true);
  }
});

test('the password policy refuses short, long, common and personal passwords', () => {
  assert.equal(checkPassword('a sentence of words', { email: 'rita@example.org', name: 'Rita' }), 'a sentence of words');
  const refused: [unknown, RegExp][] = [
    ['short', /at least 12 characters/],
    ['x'.repeat(257), /at most 256/],
    ['aaaaaaaaaaaaaa', /too common/],
    ['abcabcabcabc', /too common/],
    ['password1234', /too common/],
    ['abcdefghijklmno', /too common/],
    ['9876543210987', /too common/],
    ['qwertyuiopqwer', /too common/],
    ['rita@example.org', /e-mail/],
    ['my name is rita!', /e-mail|name/],
    ['tab\there and more', /control/],
    [12345678901234, /must be text/],
  ];
  for (const [pw, message] of refused) assert.throws(() => checkPassword(pw, { email: 'rita@example.org', name: 'Rita' }), { code: 'PARSE_ERROR', message }, String(pw));
});

test('API tokens: shown once, stored hashed, found by prefix, checked in constant time, revocable, expiring', () => {
  const now = new Date('2026-03-02T10:00:00Z');
  const { token, record } = newApiToken(seededRandom('tok'), 't1', { accountId: 'a', name: 'CI', readOnly: true, expiresAt: new Date('2026-04-01T00:00:00Z') }, now);
  assert.match(token, /^cpansec_[0-9a-z]{8}_[0-9a-z]{52}$/);
  assert.equal(tokenPrefix(token), record.prefix);
  assert.ok(!JSON.stringify(record).includes(token.slice(17)), 'the secret is not stored');
  assert.equal(checkApiToken(record, token, now), 'ok');
  assert.equal(checkApiToken(record, `${token.slice(0, -1)}x`, now), 'mismatch');
  assert.equal(checkApiToken({ ...record, revokedAt: now.toISOString() }, token, now), 'revoked');
  assert.equal(checkApiToken(record, token, new Date('2026-04-01T00:00:00Z')), 'expired');
  assert.equal(tokenPrefix('Bearer nonsense'), undefined);
});

test('TOTP: the RFC 6238 test vectors (SHA-1, last six digits), drift of one step, no replay', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890"
  const vectors: [number, string][] = [[59, '287082'], [1111111109, '081804'], [1111111111, '050471'], [1234567890, '005924'], [2000000000, '279037'], [20000000000, '353130']];
  for (const [t, code] of vectors) assert.equal(totpCode(secret, new Date(t * 1000)), code, `T=${t}`);

  const at = new Date(1234567890 * 1000);
  const ok = checkTotp({ secret, lastStep: null }, '005 924', at);
  assert.deepEqual(ok, { ok: true, step: Math.floor(1234567890 / 30) });
  assert.deepEqual(checkTotp({ secret, lastStep: ok.ok ? ok.step : 0 }, '005924', at), { ok: false, reason: 'replayed' });
  assert.equal(checkTotp({ secret, lastStep: null }, '005924', new Date((1234567890 + 30) * 1000)).ok, true, 'one step late is accepted');
  assert.deepEqual(checkTotp({ secret, lastStep: null }, '005924', new Date((1234567890 + 90) * 1000)), { ok: false, reason: 'invalid' });
  assert.deepEqual(checkTotp({ secret, lastStep: null }, '12345', at), { ok: false, reason: 'malformed' });
  const next = totpCode(secret, new Date((1234567890 + 30) * 1000));
  assert.equal(checkTotp({ secret, lastStep: Math.floor(1234567890 / 30) }, next, new Date((1234567890 + 30) * 1000)).ok, true, 'the next step is fine');
});

test('TOTP secrets, URIs and single-use recovery codes', () => {
  const random = seededRandom('totp');
  const secret = newTotpSecret(random);
  assert.match(secret, /^[A-Z2-7]{32}$/, '160 bits in RFC 4648 base32');
  const uri = totpUri(secret, 'rita@example.org');
  assert.match(uri, /^otpauth:\/\/totp\/cpansec:rita%40example\.org\?/);
  assert.match(uri, /secret=[A-Z2-7]{32}/);
  assert.match(uri, /period=30/);
  const { codes, hashes } = newRecoveryCodes(random);
  assert.equal(new Set(codes).size, 10);
  assert.ok(codes.every((c) => /^[0-9a-z]{5}-[0-9a-z]{5}$/.test(c)));
  const left = useRecoveryCode(hashes, ` ${codes[3]!.toUpperCase()} `);
  assert.equal(left?.length, 9);
  assert.equal(useRecoveryCode(left!, codes[3]!), undefined, 'used once');
  assert.equal(useRecoveryCode(hashes, 'aaaaa-aaaaa'), undefined);
});

test('sessions end when idle and at their absolute lifetime; only the token’s hash is stored', () => {
  const now = new Date('2026-03-02T10:00:00Z');
  const { token, record } = newSession(seededRandom('s'), 'acc', true, now, { idleMinutes: 60, absoluteHours: 12 });
  assert.match(token, /^[0-9a-z]{52}$/);
  assert.ok(!JSON.stringify(record).includes(token));
  assert.notEqual(record.csrfToken, token);
  assert.equal(checkSession(record, new Date('2026-03-02T10:59:00Z'), { idleMinutes: 60, absoluteHours: 12 }), 'ok');
  assert.equal(checkSession(record, new Date('2026-03-02T11:00:00Z'), { idleMinutes: 60, absoluteHours: 12 }), 'idle');
  const active = { ...record, lastSeenAt: '2026-03-02T21:59:00.000Z' };
  assert.equal(checkSession(active, new Date('2026-03-02T22:00:00Z'), { idleMinutes: 60, absoluteHours: 12 }), 'expired');
});

test('login rate limiting: failures per account and per address in a sliding window', () => {
  const config = { windowMinutes: 15, maxFailuresPerAccount: 5, maxFailuresPerIp: 8 };
  const t0 = Date.parse('2026-03-02T10:00:00Z');
  const at = (min: number) => new Date(t0 + min * 60_000);
  const fail = (min: number, emailKey = 'rita@example.org', ip = '192.0.2.1'): LoginAttempt => ({ at: at(min).toISOString(), emailKey, ip, ok: false });
  const key = { emailKey: 'rita@example.org', ip: '192.0.2.1' };

  const four = [0, 1, 2, 3].map((m) => fail(m));
  assert.deepEqual(loginAllowed(four, key, at(4), config), { allowed: true });
  const five = [...four, fail(4)];
  assert.deepEqual(loginAllowed(five, key, at(5), config), { allowed: false, reason: 'account', retryAt: at(15) });
  assert.deepEqual(loginAllowed(five, { ...key, ip: '198.51.100.7' }, at(5), config), { allowed: false, reason: 'account', retryAt: at(15) }, 'another address does not help');
  assert.deepEqual(loginAllowed(five, key, at(15), config), { allowed: true }, 'the oldest failure left the window');
  const success = [...four, { ...fail(3.5), ok: true }, fail(4)];
  assert.deepEqual(loginAllowed(success, key, at(5), config), { allowed: true }, 'a success clears the account’s count');

  const spray = [0, 1, 2, 3, 4, 5, 6, 7].map((m) => fail(m, `user${m}@example.org`));
  assert.deepEqual(loginAllowed(spray, { emailKey: 'new@example.org', ip: '192.0.2.1' }, at(8), config), { allowed: false, reason: 'ip', retryAt: at(15) });
  const sprayWithOwnSuccess = [...spray, { at: at(7.5).toISOString(), emailKey: 'own@example.org', ip: '192.0.2.1', ok: true }];
  assert.equal(loginAllowed(sprayWithOwnSuccess, { emailKey: 'new@example.org', ip: '192.0.2.1' }, at(8), config).allowed, false, 'a valid account does not reset the address');
  assert.deepEqual(loginAllowed(spray, { emailKey: 'new@example.org', ip: '203.0.113.9' }, at(8), config), { allowed: true });
  assert.deepEqual(loginAllowed([fail(10)], key, at(9), config), { allowed: true }, 'attempts after now are ignored');
});
