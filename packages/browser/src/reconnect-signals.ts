/**
 * The browser's signals that a realtime stream should reconnect now rather than wait: the device
 * came back `online`, or the page became visible again (a tab in the background may have had its
 * connection frozen or dropped). Installed into core's `reconnectManager` by the entry; the
 * listeners exist only while some stream is open.
 *
 * @example
 * // Done by `@livedrop/browser` at import; shown for other runtimes (React Native's NetInfo, …).
 * reconnectManager.setEventListener(listenForReconnectSignals);
 */
export function listenForReconnectSignals(reconnect: () => void): () => void {
  const target = globalThis as Partial<Pick<Window, 'addEventListener' | 'removeEventListener'>>;
  const doc = (globalThis as { document?: Document }).document;
  // Server-side rendering imports this package too; with no window there is nothing to listen to.
  if (typeof target.addEventListener !== 'function' || typeof target.removeEventListener !== 'function')
    return () => undefined;
  const onVisibility = () => {
    if (doc?.visibilityState === 'visible') reconnect();
  };
  target.addEventListener('online', reconnect);
  doc?.addEventListener('visibilitychange', onVisibility);
  return () => {
    target.removeEventListener?.('online', reconnect);
    doc?.removeEventListener('visibilitychange', onVisibility);
  };
}
