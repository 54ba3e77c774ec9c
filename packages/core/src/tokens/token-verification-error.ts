import { LiveDropError } from '../errors/live-drop-error';
import type { OfferTokenRefusal } from './offer-token-refusal';

/** Why an offer token was refused: the same codes the API answers with. */
export type TokenVerificationCode = 'token_invalid' | 'token_expired';

/** An offer token failed offline verification (signature, algorithm, type, audience, time or claims). */
export class TokenVerificationError extends LiveDropError {
  override readonly name = 'TokenVerificationError';
  /** `token_expired` past `exp` (plus tolerance); `token_invalid` for everything else. */
  readonly code: TokenVerificationCode;

  constructor(code: TokenVerificationCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /**
   * The error for a refusal by the offer-token rule: `token_expired` for `expired`, else
   * `token_invalid` with the rule's detail in the message.
   * @example
   * const token = splitOfferToken(text, headers);
   * if (!token.ok) throw TokenVerificationError.from(token);
   */
  static from(refusal: OfferTokenRefusal, options?: { cause?: unknown }): TokenVerificationError {
    if (refusal.reason === 'expired')
      return new TokenVerificationError(
        'token_expired',
        `The offer token has expired (${refusal.detail}); issue a new one.`,
        options,
      );
    return new TokenVerificationError('token_invalid', `The offer token is not valid: ${refusal.detail}.`, options);
  }
}
