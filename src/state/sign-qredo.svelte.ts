/**
 * What the Qredo form's data cannot say: the API key is remembered in this browser only when the
 * user ticks "Remember", and a key read from a pasted request never replaces the remembered one
 * unasked.
 */
const REMEMBER_KEY = 'keybench.qredo.apiKey';

/** The remembered Qredo API key ('' when none or when storage is refused). */
export function storedQredoApiKey(): string {
  try {
    return localStorage.getItem(REMEMBER_KEY) ?? '';
  } catch {
    return '';
  }
}

/** The "Remember" choice of the Qredo API key, and the note about a key from a pasted request. */
export class QredoApiKeyMemory {
  remember = $state(storedQredoApiKey() !== '');
  /** Why "Remember" is unticked after "Sign it correctly" filled in another request's API key. */
  note = $state('');

  /** Tick or untick "Remember": the key is written, or the remembered one removed. */
  set(remember: boolean, apiKey: string): void {
    this.remember = remember;
    this.note = '';
    try {
      if (remember) localStorage.setItem(REMEMBER_KEY, apiKey);
      else localStorage.removeItem(REMEMBER_KEY);
    } catch {
      // Storage refused (private mode): the key simply stays in memory.
    }
  }

  /** A pasted request brings another API key: the remembered one stays, and "Remember" is unticked. */
  pasted(apiKey: string, current: string): void {
    if (apiKey === current || !this.remember) return;
    this.remember = false;
    this.note =
      'This API key comes from the request you pasted; your remembered key stays remembered. Tick "Remember" to replace it with this one.';
  }
}

/** The Qredo API key's memory. */
export const qredoApiKey = new QredoApiKeyMemory();
