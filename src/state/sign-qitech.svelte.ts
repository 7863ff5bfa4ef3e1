/**
 * QI Tech's checks in the Sign view (what its form's data cannot say): a response from QI Tech,
 * verified with QI Tech's keys only, and a request signed elsewhere, with the user's own keys.
 */
import { messageOf } from '../lib/errors';
import { verifyQitResponse, type QitResponseVerdict } from '../lib/schemes/qitech/response';
import { REQUEST_TO_QITECH, type QitRequestVerdict } from '../lib/schemes/qitech/shared';
import { pastedPublicKey, verifyQitechRequest, type QitSchemeChoice } from '../lib/schemes/qitech/request';
import type { VerificationKey } from '../lib/jwt/verify';
import { keyTypeOf } from '../lib/keys/key-type';
import { keysFor } from '../lib/trust/roles';
import { keyring } from './keyring.svelte';

/** The two QI Tech checks' inputs and verdicts. */
export class QitechChecksState {
  // QI Tech: checks of a response, and of a request signed elsewhere (the signing is the forms').
  qitResponseOpen = $state(false);
  qitResponseAuth = $state('');
  qitResponseBody = $state('');
  /** The response's own Date header, if the user pastes it: the signed date line is compared with it. */
  qitResponseDate = $state('');
  qitResponse = $state.raw<QitResponseVerdict | null>(null);
  qitResponseError = $state('');
  // QI Tech: a request signed elsewhere (the user's server)
  qitCheckOpen = $state(false);
  qitCheckScheme = $state<QitSchemeChoice>('auto');
  qitCheckAuth = $state('');
  qitCheckBody = $state('');
  qitCheckMethod = $state('');
  qitCheckEndpoint = $state('');
  qitCheckKeyText = $state('');
  qitCheckResult = $state.raw<QitRequestVerdict | null>(null);
  qitCheckError = $state('');

  /** Trusted P-521 public keys whose owner is QI Tech: the only keys that may verify QI Tech's responses. */
  get qitechTrustedKeys() {
    return keyring.keys.filter((k) => {
      const t = keyTypeOf(k.publicKey);
      return k.kind === 'public' && k.owner === 'qitech' && t.kty === 'EC' && t.curve === 'P-521';
    });
  }

  /** Stored P-521 public keys with no owner set: not tried for QI Tech's responses until the user says whose. */
  get qitechUnownedKeys() {
    return keyring.keys.filter((k) => {
      const t = keyTypeOf(k.publicKey);
      return k.kind === 'public' && !k.owner && t.kty === 'EC' && t.curve === 'P-521';
    });
  }

  /**

  /** Check a QI Tech request signed elsewhere against a pasted public key, or the stored P-521 pairs. */
  async checkQitRequest(apiKey: string): Promise<void> {
    this.qitCheckError = '';
    this.qitCheckResult = null;
    let keys: VerificationKey[];
    if (this.qitCheckKeyText.trim()) {
      const pasted = await pastedPublicKey(this.qitCheckKeyText);
      if (!pasted.key) {
        if (pasted.refused?.privateKey) this.qitCheckKeyText = '';
        this.qitCheckError = pasted.refused?.message ?? 'No public key found in the text.';
        return;
      }
      keys = [pasted.key];
    } else {
      // A request sent to QI Tech: the user's own P-521 keys (pairs, and public keys of the user's servers).
      keys = keysFor(
        REQUEST_TO_QITECH,
        keyring.keys
          .filter((k) => {
            const t = keyTypeOf(k.publicKey);
            return t.kty === 'EC' && t.curve === 'P-521';
          })
          .map((k) => ({
            kind: 'public' as const,
            label: k.label,
            origin: 'stored' as const,
            spki: k.spki,
            type: keyTypeOf(k.publicKey),
            ...(k.owner ? { owner: k.owner } : {}),
          })),
      );
    }
    try {
      this.qitCheckResult = await verifyQitechRequest(this.qitCheckScheme, {
        authorization: this.qitCheckAuth,
        body: this.qitCheckBody,
        keys,
        expected: {
          method: this.qitCheckMethod,
          endpoint: this.qitCheckEndpoint,
          apiKey,
        },
        nowMs: Date.now(),
      });
    } catch (e) {
      this.qitCheckError = messageOf(e);
    }
  }

  /**
   * Verify a QI Tech response to the request in the form (its method, endpoint and API key); its
   * date line is compared with the response's own date when one is given (never the form's "now").
   */
  async verifyQitResponse(request: {
    method: string;
    endpoint: string;
    date?: string;
    apiKey: string;
  }): Promise<void> {
    this.qitResponseError = '';
    this.qitResponse = null;
    try {
      // The whole keyring goes in; the domain uses only trusted public keys, never key pairs.
      this.qitResponse = await verifyQitResponse({
        authorization: this.qitResponseAuth,
        body: this.qitResponseBody,
        apiKey: request.apiKey,
        keyring: keyring.keys.map((k) => ({
          kind: k.kind,
          label: k.label,
          spki: k.spki,
          type: keyTypeOf(k.publicKey),
          ...(k.owner ? { owner: k.owner } : {}),
        })),
        request: {
          method: request.method,
          endpoint: request.endpoint.trim(),
          ...(request.date?.trim() ? { date: request.date.trim() } : {}),
        },
      });
    } catch (e) {
      this.qitResponseError = messageOf(e);
    }
  }
}

/** The QI Tech checks. */
export const qitechChecks = new QitechChecksState();
