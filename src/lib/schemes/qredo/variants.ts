/**
 * Qredo's mistakes as data, on the engine's contract (engine/types.ts `Mistake`): each mistake is a
 * named change to one part of the signed message (timestamp, URL, body, layout) with a code, words
 * and a remedy; `alternatives(ctx)` gives the whole bytes a signer who made it signed. Two mistakes
 * made together are one compound mistake whose diagnosis lists both.
 */
import type { Alternative, Mistake } from '../engine/types';
import { prefixOf, type Parts } from './base';
import { concat } from './rsa';

const enc = new TextEncoder();

/** What every Qredo mistake reads: the request as sent, in parts. */
export interface QredoCtx {
  sent: Parts;
  /** True when the value is an x-timestamp (an x-nonce is never converted or scanned). */
  isTimestamp: boolean;
  /** The header the value came from, as the diagnosis names it. */
  valueHeader: string;
  /** The HTTP method as sent. */
  method: string;
  /** The sent body as bytes, encoded once (it can be megabytes). */
  bodyBytes: Uint8Array;
}

/** One way a mistaken signer changed the parts. */
export type Variant = (p: Parts) => Parts;

/** A Qredo mistake: the engine's Mistake, plus how it changes the parts (so two can be combined). */
export interface QredoMistake extends Mistake<QredoCtx> {
  /** The single mistakes a diagnosis lists for it: itself, or each one of a compound, in order. */
  readonly components: readonly QredoMistake[];
  /** The changes it makes to a request (empty when it cannot apply to this one). */
  variants(ctx: QredoCtx): Variant[];
}

/** What a single mistake is defined by. */
export type MistakeDef = Pick<QredoMistake, 'id' | 'code' | 'title' | 'explanation' | 'remedy' | 'variants'>;

/** The request as sent, in parts. */
export function makeCtx(sent: Parts, isTimestamp: boolean, valueHeader: string, method: string): QredoCtx {
  return { sent, isTimestamp, valueHeader, method, bodyBytes: enc.encode(sent.body) };
}

/** Which parts differ, named, with their signed and sent texts. */
function differences(ctx: QredoCtx, p: Parts): [part: string, signed: string, sent: string][] {
  const s = ctx.sent;
  const out: [string, string, string][] = [];
  if (p.sep !== s.sep || p.method !== s.method || p.methodText !== s.methodText)
    out.push(['the message before the body', prefixOf(p), prefixOf(s)]);
  else {
    if (p.value !== s.value) out.push([ctx.valueHeader, p.value, s.value]);
    if (p.url !== s.url) out.push(['the URL', p.url, s.url]);
  }
  if (p.body !== s.body) out.push(['the body', p.body, s.body]);
  return out;
}

/** The alternative for changed parts, its bytes made only when the engine reads them; null when nothing changed. */
export function alternativeOf(ctx: QredoCtx, p: Parts): Alternative | null {
  const diff = differences(ctx, p);
  if (!diff.length) return null;
  const body = p.body === ctx.sent.body ? ctx.bodyBytes : null;
  const prefix = prefixOf(p);
  return {
    part: diff.map((d) => d[0]).join(' and '),
    signed: diff.map((d) => d[1]).join(' and '),
    sent: diff.map((d) => d[2]).join(' and '),
    get bytes() {
      return concat(enc.encode(prefix), body ?? enc.encode(p.body));
    },
  };
}

/** The distinct alternatives of a list of variants (each applied to the request as sent). */
function alternativesOf(ctx: QredoCtx, variants: Variant[]): Alternative[] {
  const seen = new Set<string>();
  const out: Alternative[] = [];
  for (const v of variants) {
    const p = v(ctx.sent);
    // Same prefix and the body as sent: a duplicate (bodies that differ are not compared: megabytes).
    if (p.body === ctx.sent.body) {
      const key = prefixOf(p);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    const alt = alternativeOf(ctx, p);
    if (alt) out.push(alt);
  }
  return out;
}

/** Define a single mistake. */
export function mistake(def: MistakeDef): QredoMistake {
  const components: QredoMistake[] = [];
  const m: QredoMistake = {
    ...def,
    components,
    alternatives: (ctx) => alternativesOf(ctx, def.variants(ctx)),
  };
  components.push(m);
  return m;
}

/** Several mistakes made together (e.g. the method signed and a newline between the parts). */
export function together(...ms: QredoMistake[]): QredoMistake {
  const components = ms.flatMap((m) => m.components);
  const first = components[0]!;
  const variants = (ctx: QredoCtx): Variant[] =>
    ms.reduce<Variant[]>(
      (acc, m) =>
        acc.flatMap((a) =>
          m.variants(ctx).map(
            (b): Variant =>
              (p) =>
                b(a(p)),
          ),
        ),
      [(p) => p],
    );
  return {
    id: components.map((c) => c.id).join('+'),
    code: first.code,
    title: components.map((c) => c.title).join(' + '),
    explanation: first.explanation,
    remedy: first.remedy,
    components,
    variants,
    alternatives: (ctx) => alternativesOf(ctx, variants(ctx)),
  };
}
