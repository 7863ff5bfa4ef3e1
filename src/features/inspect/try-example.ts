/** "Try an example" (loaded when Inspect opens with `?example`): a sample token shown in Inspect, its key never stored. */
import { makeExample } from '../../lib/jwt/example';
import { tokenEditor } from '../../state/token-editor.svelte';

/**
 * Make the example and put it in the inspector (token, and its public key in the key box); when the
 * browser cannot make its key, Inspect says so instead.
 */
export async function showExample(): Promise<void> {
  try {
    tokenEditor.showExample(await makeExample(Date.now()));
  } catch (e) {
    tokenEditor.exampleProblem = `The example could not be made: ${e instanceof Error ? e.message : String(e)}`;
  }
}
