import { h } from './view/dom';

/**
 * A polite ARIA live region: stock running low or out, holds and their last minute, orders. Each
 * message replaces the last one, and a repeat is re-announced.
 */
export class LiveRegion {
  readonly element = h('div', {
    class: 'visually-hidden',
    attrs: { role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' },
  });

  /** Announces `message` to screen readers. */
  announce(message: string): void {
    // Clearing first makes screen readers announce the same words twice in a row.
    this.element.textContent = '';
    queueMicrotask(() => {
      this.element.textContent = message;
    });
  }
}
