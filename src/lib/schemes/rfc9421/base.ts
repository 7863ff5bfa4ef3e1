/**
 * RFC 9421 §2.5: the signature base, the exact bytes signed. One line per covered component
 * (`"identifier": value`), then `"@signature-params": ` and the serialised inner list of covered
 * components with the signature parameters. Lines are joined with LF; there is no final newline.
 */
import { serializeInnerList, serializeItem, type Item, type Parameters } from 'structured-headers';
import type { ErrorCode } from '../../errors';
import { rich, type Rich } from '../../rich';
import { componentValue, type RequestParts } from './components';

/** One line of the signature base: the serialised component identifier and its value. */
export interface BaseLine {
  /** The component identifier as serialised in the base, e.g. `"@query-param";name="Pet"`. */
  id: string;
  /** The component name alone (`@path`, `content-digest`). */
  name: string;
  value: string;
}

/** A signature base, part by part and as the text signed. */
export interface SignatureBase {
  /** The covered components' lines, in the order covered (not the last line). */
  lines: BaseLine[];
  /** The value of the `@signature-params` line. */
  params: string;
  /** The whole base as signed. */
  text: string;
}

/** The base, or why it cannot be built (with the lines built so far). */
export type BaseResult =
  { ok: true; base: SignatureBase } | { ok: false; code: ErrorCode; parts: Rich; lines: BaseLine[] };

/** The text of a base from its lines and its `@signature-params` value. */
export function baseText(lines: readonly Pick<BaseLine, 'id' | 'value'>[], params: string): string {
  return [...lines.map((l) => `${l.id}: ${l.value}`), `"@signature-params": ${params}`].join('\n');
}

/** The signature base of a request for the given covered components and parameters (§2.5). */
export function buildBase(req: RequestParts, covered: readonly Item[], params: Parameters): BaseResult {
  const lines: BaseLine[] = [];
  const seen = new Set<string>();
  const stop = (code: ErrorCode, parts: Rich): BaseResult => ({ ok: false, code, parts, lines });
  for (const item of covered) {
    const id = serializeItem(item);
    if (seen.has(id)) return stop('ERR_HTTPSIG_DUPLICATE_COMPONENT', rich`${id} is covered twice.`);
    seen.add(id);
    const v = componentValue(req, item);
    if (!v.ok) return stop(v.code, v.parts);
    for (const value of v.values) {
      if (/[\r\n]/.test(value))
        return stop(
          'ERR_HTTPSIG_COMPONENT',
          rich`The value of ${id} holds a line break, which no signature base may contain.`,
        );
      lines.push({ id, name: String(item[0]), value });
    }
  }
  // The `@signature-params` value (§2.3): the covered components and parameters as an inner list.
  const p = serializeInnerList([[...covered], params]);
  return { ok: true, base: { lines, params: p, text: baseText(lines, p) } };
}
