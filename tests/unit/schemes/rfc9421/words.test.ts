/**
 * RFC 9421 has no partner: the engine's words name "the server" instead, and a sentence that
 * starts with it starts with a capital.
 */
import { describe, expect, it } from 'vitest';
import { plain } from '../../../../src/lib/rich';
import { examineRequest } from '../../../../src/lib/scheme/doctor';

/** The code and headline the doctor gives a pasted request, with no trusted key. */
async function headline(text: string): Promise<[string, string]> {
  const r = await examineRequest(text, async () => [], Date.UTC(2026, 11, 7, 12));
  if (r?.kind !== 'verdict') throw new Error(`not examined: ${JSON.stringify(r)}`);
  return [r.verdict.code, plain(r.verdict.parts)];
}

describe('words for a request to any server', () => {
  it('an empty signature: "Cannot check this request … The server refuses it."', async () => {
    const text = `curl https://example.com/foo -H 'Signature-Input: sig1=("@method");created=1765108799' -H 'Signature: sig1=::'`;
    expect(await headline(text)).toEqual([
      'ERR_HTTPSIG_NO_SIGNATURE',
      'Cannot check this request: it carries no signature. The server refuses it.',
    ]);
  });
});
