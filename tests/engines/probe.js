// Runs first in every page the cross-engine suite loads (the test server puts it after the CSP meta
// tag): records uncaught errors, CSP violations and persist() calls, in the same way in every engine.
(() => {
  /** @type {{ errors: string[], violations: string[], persistCalls: { afterGesture: boolean | null, at: number }[] }} */
  const probe = { errors: [], violations: [], persistCalls: [] };
  Object.defineProperty(window, '__kbProbe', { value: probe });
  window.addEventListener('error', (e) => {
    // A failed resource load (e.target an element) is no script error.
    if (e.target === window || e.target === undefined) probe.errors.push(String(e.message || e.error));
  });
  window.addEventListener('unhandledrejection', (e) => probe.errors.push(`unhandled rejection: ${e.reason}`));
  document.addEventListener('securitypolicyviolation', (e) =>
    probe.violations.push(
      `${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`,
    ),
  );
  const manager = window.StorageManager?.prototype;
  const original = manager?.persist;
  if (manager && original) {
    manager.persist = function () {
      const ua = navigator.userActivation;
      probe.persistCalls.push({ afterGesture: ua ? ua.hasBeenActive : null, at: performance.now() });
      return original.call(this);
    };
  }
})();
