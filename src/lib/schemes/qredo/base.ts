/**
 * What Qredo signs (its signature base): the x-timestamp (or x-nonce) value, the full URL and the
 * body, concatenated with nothing between them. The mistake search varies these parts one by one,
 * so the base is also modelled as parts (a mistaken signer may add a separator or the method).
 */
import type { SignedPart } from '../../partners/scheme';

const enc = new TextEncoder();

/** The message Qredo signs: timestamp, URL and body bytes, concatenated with no separators. */
export function qredoMessage(timestamp: string, url: string, body: string): Uint8Array<ArrayBuffer> {
  return enc.encode(`${timestamp}${url}${body}`);
}

/** The signature base part by part, as the Sign view and the doctor show it. */
export function qredoBase(
  value: string,
  url: string,
  body: string,
  valueHeader = 'x-timestamp',
): SignedPart[] {
  return [
    { label: valueHeader, text: value },
    { label: 'URL', text: url },
    { label: 'Body', text: body },
  ];
}

/** Where a mistaken signer put the HTTP method: nowhere (Qredo's base), first, or after the value. */
export type MethodPlace = 'none' | 'first' | 'after-value';

/** The parts of a signed message, as sent or as a mistaken signer built them. */
export interface Parts {
  /** The x-timestamp or x-nonce value. */
  value: string;
  url: string;
  body: string;
  /** Between the parts ('' in Qredo's base). */
  sep: string;
  method: MethodPlace;
  methodText: string;
}

/** The parts of Qredo's base for a request as sent. */
export function sentParts(value: string, url: string, body: string): Parts {
  return { value, url, body, sep: '', method: 'none', methodText: '' };
}

/** Everything before the body, as text. */
export function prefixOf(p: Parts): string {
  const { sep, methodText } = p;
  if (p.method === 'first') return `${methodText}${sep}${p.value}${sep}${p.url}${sep}`;
  if (p.method === 'after-value') return `${p.value}${sep}${methodText}${sep}${p.url}${sep}`;
  return `${p.value}${sep}${p.url}${sep}`;
}

/** The whole message as text. */
export function messageText(p: Parts): string {
  return `${prefixOf(p)}${p.body}`;
}
