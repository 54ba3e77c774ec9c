import type { BufferedAnswer } from '../http/server-answer';
import type { ReservationOutcome } from './server-metrics';

/**
 * How a `createReservation` answer ended, read from what the client received: a 201 is `created`
 * (held) or `backordered` by the reservation's status, anything else is `refused` with its problem
 * `code`. A replayed answer (`Idempotent-Replayed`) made no new reservation: `null`.
 */
export function reservationOutcomeOf(answer: BufferedAnswer): ReservationOutcome | null {
  if (answer.headers['idempotent-replayed'] === 'true') return null;
  const body = answer.body ?? '';
  if (answer.status === 201) return { outcome: /"status":"backordered"/.test(body) ? 'backordered' : 'created' };
  return { outcome: 'refused', code: /"code":"([a-z_]+)"/.exec(body)?.[1] ?? `http_${answer.status}` };
}
