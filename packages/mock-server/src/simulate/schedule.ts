import * as z from 'zod';

/**
 * A drop day to simulate: when the evening begins, its sessions with their expected audience and
 * offers, and the shape of the audience's arrival. Read from `--schedule file.json` or
 * {@link DEFAULT_SCHEDULE}. Minutes count from `startsAt`; offers' minutes count from their
 * session's start.
 */
export const DropSchedule = z.strictObject({
  /** The evening's reference time (RFC 3339); the server's clock starts shortly before the first ramp. */
  startsAt: z.iso.datetime({ offset: true }).default('2026-11-27T18:00:00.000Z'),
  sessions: z
    .array(
      z.strictObject({
        title: z.string().min(1).max(200),
        /** Minutes after `startsAt` at which the session starts. */
        startMinute: z
          .number()
          .int()
          .min(0)
          .max(24 * 60),
        /** How long the session stays live, in minutes. */
        durationMinutes: z
          .number()
          .int()
          .min(1)
          .max(6 * 60),
        /** The audience the session expects (declared to the API as `expectedViewers`). */
        expectedViewers: z.number().int().min(1).max(10_000_000),
        offers: z
          .array(
            z.strictObject({
              title: z.string().min(1).max(200),
              /** Minutes after the session's start at which the offer is published. */
              publishMinute: z.number().int().min(0),
              /** Price in USD cents. */
              priceCents: z.number().int().min(1),
              quantity: z.number().int().min(1).max(1_000_000),
            }),
          )
          .max(50),
      }),
    )
    .min(1)
    .max(20),
  arrival: z
    .strictObject({
      /** Minutes before a session's start over which the early audience ramps in (linearly rising). */
      rampMinutes: z.number().int().min(0).max(120).default(10),
      /** Share of the audience that arrives during the ramp. */
      rampShare: z.number().min(0).max(1).default(0.3),
      /** Share that arrives in the spike at the start; the rest arrives in spikes at each offer's publish. */
      startShare: z.number().min(0).max(1).default(0.5),
      /** Time constant of every spike's exponential decay, in seconds. */
      decaySeconds: z.number().int().min(1).max(600).default(20),
      /** Share of the viewers present that read the session again when an offer is published. */
      refreshShare: z.number().min(0).max(1).default(1),
    })
    .prefault({}),
});
/** A drop day as written (defaults not yet applied). */
export type DropScheduleInput = z.input<typeof DropSchedule>;
/** A checked drop day with every default applied. */
export type DropSchedule = z.output<typeof DropSchedule>;
/** One session of a {@link DropSchedule}. */
export type ScheduledSession = DropSchedule['sessions'][number];

/** An evening of three sessions with 20k, 80k and 200k expected viewers and three offers each. */
export const DEFAULT_SCHEDULE_INPUT: DropScheduleInput = {
  startsAt: '2026-11-27T18:00:00.000Z',
  sessions: [
    {
      title: 'Sneaker warm-up',
      startMinute: 60,
      durationMinutes: 20,
      expectedViewers: 20_000,
      offers: [
        { title: 'Court Classic low', publishMinute: 2, priceCents: 8900, quantity: 300 },
        { title: 'Court Classic high', publishMinute: 8, priceCents: 11900, quantity: 200 },
        { title: 'Laces three-pack', publishMinute: 14, priceCents: 1500, quantity: 1000 },
      ],
    },
    {
      title: 'Beauty hour',
      startMinute: 120,
      durationMinutes: 20,
      expectedViewers: 80_000,
      offers: [
        { title: 'Glow serum', publishMinute: 2, priceCents: 3400, quantity: 2000 },
        { title: 'Lip trio', publishMinute: 8, priceCents: 2800, quantity: 1500 },
        { title: 'Travel kit', publishMinute: 14, priceCents: 5900, quantity: 800 },
      ],
    },
    {
      title: 'Headline drop',
      startMinute: 180,
      durationMinutes: 20,
      expectedViewers: 200_000,
      offers: [
        { title: 'Signed jersey', publishMinute: 2, priceCents: 19900, quantity: 500 },
        { title: 'Limited hoodie', publishMinute: 8, priceCents: 7900, quantity: 3000 },
        { title: 'Poster set', publishMinute: 14, priceCents: 2900, quantity: 5000 },
      ],
    },
  ],
};

/** A schedule that cannot be simulated; the message names the field and the fix. */
export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';
}

/**
 * Checks a drop day and applies defaults.
 * @throws ScheduleError naming each bad field (`sessions.1.offers.0.priceCents: …`)
 */
export function parseSchedule(input: unknown, source = 'the schedule'): DropSchedule {
  const parsed = DropSchedule.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('\n');
    throw new ScheduleError(`${source} is not a valid drop schedule:\n${issues}\nSee docs/simulate.md for the format.`);
  }
  const schedule = parsed.data;
  const { arrival } = schedule;
  if (arrival.rampShare + arrival.startShare > 1) {
    throw new ScheduleError(
      `${source}: arrival.rampShare + arrival.startShare must be at most 1 (the rest arrives at offer publishes), not ${arrival.rampShare + arrival.startShare}.`,
    );
  }
  schedule.sessions.forEach((session, index) => {
    session.offers.forEach((offer, offerIndex) => {
      if (offer.publishMinute >= session.durationMinutes) {
        throw new ScheduleError(
          `${source}: sessions.${index}.offers.${offerIndex}.publishMinute (${offer.publishMinute}) must fall inside the session (less than its durationMinutes, ${session.durationMinutes}).`,
        );
      }
    });
  });
  return schedule;
}

/** {@link DEFAULT_SCHEDULE_INPUT}, checked and with defaults applied. */
export const DEFAULT_SCHEDULE: DropSchedule = parseSchedule(DEFAULT_SCHEDULE_INPUT, 'the default schedule');
