/**
 * What the partner forms' data cannot say about an API key (Qredo's, QI Tech's): it is remembered in
 * this browser only when the user ticks "Remember", and a key read from a pasted request never
 * replaces the remembered one unasked.
 */
const REMEMBER_KEY = 'keybench.qredo.apiKey';

/** A remembered API key ('' when none or when storage is refused); Qredo's by default. */
export function storedApiKey(where: string = REMEMBER_KEY): string {
  try {
    return localStorage.getItem(where) ?? '';
  } catch {
    return '';
  }
}

/** The remembered Qredo API key ('' when none or when storage is refused). */
export function storedQredoApiKey(): string {
  return storedApiKey(REMEMBER_KEY);
}

/** The "Remember" choice of a partner's API key, and the note about a key from a pasted request. */
export class QredoApiKeyMemory {
  /** The localStorage key it is kept under. */
  readonly where: string;
  remember = $state(false);

  constructor(where: string = REMEMBER_KEY) {
    this.where = where;
    this.remember = storedApiKey(where) !== '';
  }

  /** The remembered key ('' when none). */
  get stored(): string {
    return storedApiKey(this.where);
  }
  /** Why "Remember" is unticked after "Sign it correctly" filled in another request's API key. */
  note = $state('');

  /** Tick or untick "Remember": the key is written, or the remembered one removed. */
  set(remember: boolean, apiKey: string): void {
    this.remember = remember;
    this.note = '';
    try {
      if (remember) localStorage.setItem(this.where, apiKey);
      else localStorage.removeItem(this.where);
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

/** QI Tech's API key's memory (one key for its three schemes). */
export const qitechApiKey = new QredoApiKeyMemory('keybench.qitech.apiKey');
