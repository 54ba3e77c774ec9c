import type { Jwks, SigningKeyRotation } from '../../schemas/token';
import type { HttpTransport } from '../http';
import type { RequestOptions } from '../options';

/** The keys that sign offer tokens. */
export class SigningKeys {
  readonly #transport: HttpTransport;

  /** @internal Made by {@link LiveDropClient}. */
  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  /** The public keys (current and previous) that verify offer tokens; pass them to `verifyOfferToken`. */
  jwks(options?: RequestOptions): Promise<Jwks> {
    return this.#transport.call('getJwks', {}, options);
  }

  /** Rotates the signing key; tokens signed with the previous one keep verifying until the next rotation. */
  rotate(options?: RequestOptions): Promise<SigningKeyRotation> {
    return this.#transport.call('rotateSigningKey', {}, options);
  }
}
