import { serviceWorkerPolicy } from './sw-policy';

/**
 * The service worker as the page sees it: whether keybench works offline yet, and whether a new
 * version is waiting. A waiting version takes over only when the user says "Reload".
 */
class AppUpdate {
  #offlineReady = $state(false);
  #needRefresh = $state(false);
  #problem = $state<string | null>(null);
  #update: (() => Promise<void>) | null = null;

  /** True once the whole app is cached and a reload works without a network. */
  get offlineReady(): boolean {
    return this.#offlineReady;
  }
  /** True while a newer version is installed and waiting for the user's reload. */
  get needRefresh(): boolean {
    return this.#needRefresh;
  }
  /** Why offline use could not be set up, if it could not. */
  get problem(): string | null {
    return this.#problem;
  }

  /**
   * Register the service worker (production builds only; loaded after first paint). The page's
   * CSP requires Trusted Types, so the worker's URL goes through keybench's one-URL policy; this is
   * why keybench drives workbox-window itself rather than vite-plugin-pwa's `registerSW`, which
   * passes a plain string. The events are handled as `registerSW` handles them in prompt mode.
   */
  async start(): Promise<void> {
    if (!import.meta.env.PROD || !('serviceWorker' in navigator) || !serviceWorkerPolicy) return;
    if (navigator.serviceWorker.controller) this.#offlineReady = true;
    try {
      const { Workbox } = await import('workbox-window');
      const url = serviceWorkerPolicy.createScriptURL(serviceWorkerPolicy.url);
      const wb = new Workbox(url, { scope: './', type: 'classic' });
      // An update is a version waiting behind an active one. A page loaded while the very first
      // install is still running sees that install as "external": it is not an update (nothing
      // waits), and offline use is ready once a worker is active.
      const prompt = async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        if (!registration?.waiting || this.#needRefresh) return;
        // The waiting version took over (after "Reload"): load the page it serves.
        wb.addEventListener('controlling', (e) => {
          if (e.isUpdate) window.location.reload();
        });
        this.#needRefresh = true;
      };
      wb.addEventListener('installed', (e) => {
        if (e.isUpdate || e.isExternal) void prompt();
      });
      wb.addEventListener('waiting', () => void prompt());
      void navigator.serviceWorker.ready.then(() => (this.#offlineReady = true));
      this.#update = async () => wb.messageSkipWaiting();
      const registration = await wb.register();
      // Browsers look for a new version on navigation; a tab left open also looks when it
      // comes back into view, so the prompt can appear without a reload.
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') void registration?.update().catch(() => {});
      });
    } catch (e) {
      this.#problem = `Offline use is not available: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /** Switch to the waiting version; the page reloads once it has taken over. */
  reload(): void {
    void this.#update?.();
  }

  /** Keep working on this version; the new one is used from the next visit. */
  later(): void {
    this.#needRefresh = false;
  }
}

/** The one AppUpdate of the page. */
export const appUpdate = new AppUpdate();
