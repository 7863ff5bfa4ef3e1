/** The request doctor's small parts: recognising a request in the first box, and the byte diff. */
import { describe, expect, it } from 'vitest';
import { sniffRequest } from '../../../src/lib/request/sniff';
import { byteDiff, diffReport, visible } from '../../../src/lib/request/byte-diff';
import { nodeJws, toolKey } from '../support/jwt-helpers';

describe('sniffRequest: a request is told from a token by its shape', () => {
  it.each([
    ["curl -X POST 'https://x.test/a' -d '{}'", 'curl'],
    ['  $ curl https://x.test', 'curl'],
    ['curl.exe https://x.test', 'curl'],
    ['fetch("https://x.test/", {"method":"GET"});', 'fetch'],
    ['await fetch("https://x.test/")', 'fetch'],
    ['POST /api HTTP/1.1\r\nHost: x.test\r\n\r\n{}', 'http'],
    ['get /api HTTP/2\nHost: x.test\n\n', 'http'],
    ['{"log":{"entries":[{"request":{"url":"https://x.test"}}]}}', 'har'],
    ['{"request":{"method":"GET","url":"https://x.test"}}', 'har'],
  ])('%s → %s', (text, form) => {
    expect(sniffRequest(text)).toBe(form);
  });

  it('tokens, keys and prose are not requests', () => {
    const k = toolKey('p256');
    for (const text of [
      nodeJws('ES256', k.privateKey),
      k.publicPem,
      JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }),
      'curling is a sport',
      '',
      'Bearer eyJ…',
    ]) {
      expect(sniffRequest(text), text).toBeNull();
    }
  });
});

describe('byteDiff: the first difference between what was signed and what was sent', () => {
  it('finds the differing middle and its byte offset (UTF-8)', () => {
    const d = byteDiff('ts{"a": "é"}', 'ts{"a":"é"}');
    expect(d.identical).toBe(false);
    expect(d.offset).toBe(7);
    expect(d.signed.differs).toBe(' ');
    expect(d.sent.differs).toBe('');
    expect(d.signed.bytes).toBe(13);
    expect(d.sent.bytes).toBe(12);
  });

  it('a trailing CRLF and a BOM are made visible', () => {
    expect(visible('\uFEFF{"a":1}  \r\n')).toBe('⟨BOM⟩{"a":1}··⟨CR⟩⟨LF⟩\n');
    const d = byteDiff('body\r\n', 'body\n');
    expect(visible(d.signed.differs)).toBe('⟨CR⟩');
    expect(d.offset).toBe(4);
  });

  it('identical texts say so; the report names both sides', () => {
    expect(byteDiff('same', 'same').identical).toBe(true);
    const r = diffReport('ERR_X: t', 'a\tb', 'a b');
    expect(r).toContain('First difference at byte 1.');
    expect(r).toContain('[⟨TAB⟩]');
    expect(r).toContain('--- what was sent ---');
  });

  it('a 1 MB body with one changed byte is compared in linear time', () => {
    const a = 'x'.repeat(1_000_000);
    const d = byteDiff(`${a}1${a}`, `${a}2${a}`);
    expect(d.offset).toBe(1_000_000);
    expect(d.signed.differs).toBe('1');
    expect(d.signed.before.length).toBeLessThan(40);
  });
});
