/**
 * QI Tech's check in the Sign view (what its form's data cannot say): a response from QI Tech,
 * verified with QI Tech's keys only. A request signed elsewhere goes to Inspect (the doctor).
 */
import { messageOf } from '../lib/errors';
import { verifyQitResponse, type QitResponseVerdict } from '../lib/schemes/qitech/response';
import { keyTypeOf } from '../lib/keys/key-type';
import type { KeyOwner } from '../lib/trust/owner';
import { keyring } from './keyring.svelte';

/** The stored P-521 public keys whose owner passes `fits`. */
function p521PublicKeys(fits: (owner: KeyOwner | undefined) => boolean) {
  return keyring.keys.filter((k) => {
    const t = keyTypeOf(k.publicKey);
    return k.kind === 'public' && fits(k.owner) && t.kty === 'EC' && t.curve === 'P-521';
  });
}

/** The QI Tech response check's inputs and verdict. */
class QitechChecksState {
  qitResponseOpen = $state(false);
  qitResponseAuth = $state('');
  qitResponseBody = $state('');
  /** The response's own Date header, if the user pastes it: the signed date line is compared with it. */
  qitResponseDate = $state('');
  qitResponse = $state.raw<QitResponseVerdict | null>(null);
  qitResponseError = $state('');

  /** Trusted P-521 public keys whose owner is QI Tech: the only keys that may verify QI Tech's responses. */
  get qitechTrustedKeys() {
    return p521PublicKeys((owner) => owner === 'qitech');
  }

  /** Stored P-521 public keys with no owner set: not tried for QI Tech's responses until the user says whose. */
  get qitechUnownedKeys() {
    return p521PublicKeys((owner) => !owner);
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
