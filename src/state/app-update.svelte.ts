/**
 * The service worker as the page sees it: whether keybench works offline yet, and whether a new
 * version is waiting. A waiting version takes over only when the user says "Reload".
 */
class AppUpdate {
  #offlineReady = $state(false);
  #needRefresh = $state(false);
  #problem = $state<string | null>(null);
  #update: ((reload?: boolean) => Promise<void>) | null = null;

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

  /** Register the service worker (production builds only; loaded after first paint). */
  async start(): Promise<void> {
    if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
    if (navigator.serviceWorker.controller) this.#offlineReady = true;
    const { registerSW } = await import('virtual:pwa-register');
    this.#update = registerSW({
      onOfflineReady: () => (this.#offlineReady = true),
      onNeedRefresh: () => (this.#needRefresh = true),
      onRegisteredSW: (_url, registration) => {
        // Browsers look for a new version on navigation; a tab left open also looks when it
        // comes back into view, so the prompt can appear without a reload.
        document.addEventListener('visibilitychange', () => {
          if (document.visibilityState === 'visible') void registration?.update().catch(() => {});
        });
      },
      onRegisterError: (e: unknown) => {
        this.#problem = `Offline use is not available: ${e instanceof Error ? e.message : String(e)}`;
      },
    });
  }

  /** Switch to the waiting version; the page reloads once it has taken over. */
  reload(): void {
    void this.#update?.(true);
  }

  /** Keep working on this version; the new one is used from the next visit. */
  later(): void {
    this.#needRefresh = false;
  }
}

/** The one AppUpdate of the page. */
export const appUpdate = new AppUpdate();
