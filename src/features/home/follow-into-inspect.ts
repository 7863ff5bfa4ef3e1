/** The landing box's hand-over to Inspect (loaded with the inspector, after the first keystroke). */
import { tick } from 'svelte';

/**
 * Between this box leaving the page and the inspector's box arriving, keys typed would be lost:
 * keep them, then put them after the text in the inspector's box, focused with the caret at the
 * end. A MutationObserver, not a timer, finds the box: its callback runs before the next key.
 */
export function followIntoInspect(target: { token: string }, text: string): void {
  let typed = '';
  const keep = (e: KeyboardEvent) => {
    if (e.key.length !== 1 || e.ctrlKey || e.metaKey || e.altKey) return;
    typed += e.key;
    e.preventDefault();
  };
  window.addEventListener('keydown', keep, true);
  target.token = text;
  const find = () =>
    document.getElementById('jwt-input') ??
    document.querySelector<HTMLTextAreaElement>('main textarea:not(#landing-jwt)');
  const arrive = (box: HTMLElement | null) => {
    if (!(box instanceof HTMLTextAreaElement) || !box.isConnected) return false;
    window.removeEventListener('keydown', keep, true);
    if (typed) target.token = text + typed;
    const caret = text.length + typed.length;
    // After Svelte has put the new value in the box (a microtask: no key can come in between).
    void tick().then(() => {
      box.focus();
      box.setSelectionRange(caret, caret);
    });
    return true;
  };
  if (arrive(find())) return;
  const watch = new MutationObserver(() => {
    if (arrive(find())) watch.disconnect();
  });
  watch.observe(document.body, { childList: true, subtree: true });
  setTimeout(() => {
    watch.disconnect();
    window.removeEventListener('keydown', keep, true);
  }, 10_000);
}
