import { LiveDropError } from '../errors/live-drop-error';

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
}
