/**
 * Installs the platform's "come back now" signals and answers how to remove them. It gets a
 * `reconnect` callback to call when the network or the page returns.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: `void` lets a setup that removes nothing simply not return.
export type ReconnectEventSetup = (reconnect: () => void) => (() => void) | undefined | void;

/**
 * When realtime streams should reconnect without waiting: the network came back, the page became
 * visible again. Core knows no platform, so it has no signals of its own; an adapter injects them
 * (`@livedrop/browser` listens to `online` and `visibilitychange`), as TanStack Query's
 * `onlineManager.setEventListener` does. The signals are installed while at least one stream is
 * open, and removed when the last one closes.
 *
 * On a signal, a stream waiting to reconnect connects at once, and an open stream that has heard
 * nothing lately (not even a heartbeat) reconnects; a healthy one is left alone.
 */
export class ReconnectManager {
  #setup: ReconnectEventSetup | undefined;
  #cleanup: (() => void) | undefined;
  readonly #listeners = new Set<() => void>();

  /**
   * Replaces the signals (removing the previous ones).
   * @example
   * reconnectManager.setEventListener((reconnect) => {
   *   window.addEventListener('online', reconnect);
   *   return () => window.removeEventListener('online', reconnect);
   * });
   */
  setEventListener(setup: ReconnectEventSetup | undefined): void {
    this.#uninstall();
    this.#setup = setup;
    if (this.#listeners.size > 0) this.#install();
  }

  /** Tells every open stream to reconnect now if it needs to (what the installed signals call). */
  reconnect(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  /** @internal A stream listens while it is open; the answer stops it listening. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) this.#install();
    return () => {
      if (!this.#listeners.delete(listener)) return;
      if (this.#listeners.size === 0) this.#uninstall();
    };
  }

  /** True while the signals are installed (some stream is open), for tests. */
  get listening(): boolean {
    return this.#cleanup !== undefined;
  }

  #install(): void {
    if (!this.#setup || this.#cleanup) return;
    this.#cleanup = this.#setup(() => this.reconnect()) ?? (() => undefined);
  }

  #uninstall(): void {
    const cleanup = this.#cleanup;
    this.#cleanup = undefined;
    cleanup?.();
  }
}

/** The reconnect signals shared by every realtime stream; see {@link ReconnectManager}. */
export const reconnectManager: ReconnectManager = new ReconnectManager();
