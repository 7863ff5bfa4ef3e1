import type { KeyOwner } from '../lib/trust/roles';

/**
 * Whose key the next imported public key is, as chosen in the import form. A checklist step that
 * asks for a partner's key sets it (and the form shows the choice), so the key lands with its owner.
 */
class ImportChoice {
  /** The owner chosen, or '' when none is (a public key then cannot be imported). */
  owner = $state<KeyOwner | ''>('');
  /** Bumped when a checklist step asks for the import form, so the form can bring itself into view. */
  #asked = $state(0);

  get asked(): number {
    return this.#asked;
  }

  /** A checklist step asks to import `owner`'s public key: preselect it and call the form. */
  ask(owner: KeyOwner): void {
    this.owner = owner;
    this.#asked++;
  }
}

/** The import form's one choice of owner. */
export const importChoice = new ImportChoice();
