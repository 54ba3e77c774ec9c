/**
 * What went wrong with a money input, so callers can branch without parsing messages.
 *
 * - `invalid_amount`: an amount is not a safe integer in minor units, is negative where it
 *   must not be, or a ledger is inconsistent (more reversed than was paid).
 * - `invalid_split_rule`: a basis-point rule is out of range or the rules add up to more
 *   than 100%.
 * - `refund_exceeds_capture`: the refund is larger than what is still refundable.
 */
export type MoneyErrorCode = 'invalid_amount' | 'invalid_split_rule' | 'refund_exceeds_capture';

/**
 * Thrown by the money functions when an input cannot be turned into exact integer amounts.
 *
 * The message names the offending field and how to fix it; `field` carries the same path in
 * machine-readable form so a form or an API error response can point at it.
 *
 * @example
 * ```ts
 * try {
 *   splitAmount(1000, { platformFeeBps: 12_000, creatorCommissionBps: 0 });
 * } catch (error) {
 *   if (error instanceof MoneyError) {
 *     error.code;  // 'invalid_split_rule'
 *     error.field; // 'rules.platformFeeBps'
 *   }
 * }
 * ```
 */
export class MoneyError extends Error {
  override readonly name = 'MoneyError';

  /** The kind of failure; stable across releases, unlike the message. */
  readonly code: MoneyErrorCode;

  /**
   * Dotted path of the offending input as the caller named it, e.g. `rules.platformFeeBps`,
   * `order.reversed.creator` or `refundAmount`.
   */
  readonly field: string;

  /**
   * @param code - the kind of failure
   * @param field - dotted path of the offending input
   * @param message - human-readable text that names `field` and the fix
   */
  constructor(code: MoneyErrorCode, field: string, message: string) {
    super(message);
    this.code = code;
    this.field = field;
  }
}
