import { describe, expect, it } from 'vitest';
import { redactPath } from './redact';

describe('redactPath', () => {
  it('hides secret-looking query values and keeps the rest', () => {
    expect(redactPath('/v1/reservations/res_1?clientSecret=res_1_secret_abc')).toBe(
      '/v1/reservations/res_1?clientSecret=[redacted]',
    );
    expect(redactPath('/v1/sessions?limit=5&status=live')).toBe('/v1/sessions?limit=5&status=live');
    expect(redactPath('/x?token=abc&api_key=k&after=3')).toBe('/x?token=[redacted]&api_key=[redacted]&after=3');
    expect(redactPath('/v1/offers/off_1')).toBe('/v1/offers/off_1');
  });
});
