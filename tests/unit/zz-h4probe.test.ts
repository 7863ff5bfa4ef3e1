import { it } from 'vitest';
import { examineRequest } from '../../src/lib/schemes/engine/doctor';
import { secretKey } from './rfc9421-helpers';

const SECRET = 'dGhlIHNoYXJlZCBzZWNyZXQgb2YgdGhlIHRlc3Rz';
async function make(n: number, broken: boolean) {
  const names = Array.from({ length: n }, (_, i) => `x-field-${i}`);
  const created = Math.floor(Date.now() / 1000);
  const covered = ['"@method"', '"@authority"', '"@path"', ...names.map((x) => `"${x}"`)].join(' ');
  const params = `(${covered});created=${created};keyid="s"`;
  const lines = ['"@method": POST', '"@authority": example.com', '"@path": /foo', ...names.map((x, i) => `"${x}": value-${i}`)];
  const base = [...lines, `"@signature-params": ${params}`].join('\n');
  const key = await crypto.subtle.importKey('raw', Buffer.from(SECRET, 'base64'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const sig = Buffer.from(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(broken ? base + 'x' : base))).toString('base64');
  return ['POST /foo HTTP/1.1', 'Host: example.com', ...names.map((x, i) => `${x}: value-${i}`), `Signature-Input: sig1=${params}`, `Signature: sig1=:${sig}:`, '', ''].join('\n');
}
for (const n of [2000, 6000, 20000])
  for (const broken of [false, true])
    it(`probe ${n} ${broken}`, async () => {
      const text = await make(n, broken);
      const t0 = performance.now();
      const v = await examineRequest(text, async () => [secretKey(SECRET, 's')], Date.now());
      const t1 = performance.now();
      console.log(n, broken, text.length, Math.round(t1 - t0), v?.kind, v?.kind === 'verdict' ? v.verdict.tone + ' ' + v.verdict.code : (v as any)?.code);
    }, 300_000);
