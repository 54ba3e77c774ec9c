/**
 * The base of every error the SDK throws. Catch it to handle anything LiveDrop-related; narrow
 * with the subclasses (`instanceof RateLimitError`) or, across realms, with {@link isLiveDropError}.
 */
export class LiveDropError extends Error {
  override readonly name: string = 'LiveDropError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /**
   * A brand that survives crossing realms (iframes, `node:vm`, a second copy of the SDK in
   * `node_modules`), where `instanceof` answers false.
   */
  get isLiveDropError(): true {
    return true;
  }
}

/**
 * Whether `error` is a {@link LiveDropError}, from this realm or another. Checks the brand,
 * not the prototype chain, so it holds for errors thrown by another copy of the SDK.
 * @example
 * try { await ld.reservations.create(body) } catch (e) { if (isLiveDropError(e)) log(e.message) }
 */
export function isLiveDropError(error: unknown): error is LiveDropError {
  return (
    typeof error === 'object' && error !== null && (error as { isLiveDropError?: unknown }).isLiveDropError === true
  );
}
