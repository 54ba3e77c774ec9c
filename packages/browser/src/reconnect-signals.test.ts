import { afterEach, describe, expect, it, vi } from 'vitest';
import { listenForReconnectSignals } from './reconnect-signals';

/** A stand-in window and document: event targets with the globals the signals read. */
function fakePage() {
  const win = new EventTarget();
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState });
  vi.stubGlobal('addEventListener', win.addEventListener.bind(win));
  vi.stubGlobal('removeEventListener', win.removeEventListener.bind(win));
  vi.stubGlobal('document', doc);
  return { win, doc };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('listenForReconnectSignals', () => {
  it('reconnects when the device comes back online', () => {
    const { win } = fakePage();
    const reconnect = vi.fn();
    const stop = listenForReconnectSignals(reconnect);
    win.dispatchEvent(new Event('offline'));
    expect(reconnect).not.toHaveBeenCalled();
    win.dispatchEvent(new Event('online'));
    expect(reconnect).toHaveBeenCalledTimes(1);
    stop();
    win.dispatchEvent(new Event('online'));
    expect(reconnect).toHaveBeenCalledTimes(1);
  });

  it('reconnects when the page becomes visible, not when it is hidden', () => {
    const { doc } = fakePage();
    const reconnect = vi.fn();
    const stop = listenForReconnectSignals(reconnect);
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(reconnect).not.toHaveBeenCalled();
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(reconnect).toHaveBeenCalledTimes(1);
    stop();
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(reconnect).toHaveBeenCalledTimes(1);
  });

  it('does nothing where there is no window (server-side rendering)', () => {
    const reconnect = vi.fn();
    const stop = listenForReconnectSignals(reconnect);
    expect(typeof stop).toBe('function');
    stop();
  });
});
