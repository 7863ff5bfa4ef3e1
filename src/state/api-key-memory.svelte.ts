/**
 * What QI Tech's form data cannot say about its API key: it is remembered in
 * this browser only when the user ticks "Remember", and a key read from a pasted request never
 * replaces the remembered one unasked.
 */
/** A remembered API key ('' when none or when storage is refused). */
function storedApiKey(where: string): string {
  try {
    return localStorage.getItem(where) ?? '';
  } catch {
    return '';
  }
}

/** The "Remember" choice of a partner's API key, and the note about a key from a pasted request. */
class ApiKeyMemory {
  /** The localStorage key it is kept under. */
  readonly where: string;
  remember = $state(false);

  constructor(where: string) {
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

/** QI Tech's API key's memory (one key for its three schemes). */
export const qitechApiKey = new ApiKeyMemory('keybench.qitech.apiKey');
