import { isoTime } from '../clock';
import type { Engine } from '../engine';
import type { Job } from '../storage/scheduler';
import type { Transaction } from '../storage/transaction';
import type { SessionRecord } from '../store';
import type { EdgeOptions } from './edge-options';

/*
 * The session lifecycle events that pace edge capacity, both on the injected clock:
 *
 * - `livedrop.session.warmup_due`, exactly once per session, `warmupLeadTimeMs` before
 *   `scheduledStartAt`. A session created (or rescheduled) inside the lead time gets it at once;
 *   a session started before it was due gets it just before `session.started`, since its audience
 *   arrives now. Moving `scheduledStartAt` before the warm-up moves the warm-up; after it, nothing
 *   is emitted again. A session ended while still scheduled never warms up.
 * - `livedrop.session.cooldown`, exactly once per session, `cooldownDelayMs` after it ends (with
 *   the end when the delay is 0), so the audience has left before capacity is released.
 *
 * Both are platform events (event log, platform stream, webhooks). They are not on the public
 * session stream: they speak of the platform's capacity, not of anything a viewer sees.
 *
 * Where a session stands (`warmupDueAt`, `warmedUp`, `cooledDown`) is kept on its record, so it
 * commits with the session and a job run by any instance reads the same answer.
 */

/** Emits the warm-up unless the session already had one. @returns whether it emitted */
function emitWarmup(tx: Transaction, session: SessionRecord, edge: EdgeOptions): boolean {
  if (session.warmedUp) return false;
  session.warmedUp = true;
  session.warmupDueAt = null;
  const { id, scheduledStartAt, expectedViewers } = session.value;
  tx.emit(session.tenantId, 'livedrop.session.warmup_due', id, {
    sessionId: id,
    scheduledStartAt,
    expectedViewers,
    leadTimeMs: edge.warmupLeadTimeMs,
  });
  return true;
}

/** Emits the cool-down unless the session already had one. @returns whether it emitted */
function emitCooldown(tx: Transaction, session: SessionRecord, edge: EdgeOptions): boolean {
  if (session.cooledDown) return false;
  session.cooledDown = true;
  const { id, startedAt, endedAt, expectedViewers } = session.value;
  tx.emit(session.tenantId, 'livedrop.session.cooldown', id, {
    sessionId: id,
    startedAt,
    endedAt: endedAt ?? isoTime(tx.now),
    expectedViewers,
    cooldownDelayMs: edge.cooldownDelayMs,
  });
  return true;
}

/**
 * Arranges the warm-up of a scheduled session (a working copy) for `warmupLeadTimeMs` before its
 * start, or emits it now when that moment has passed. Call in the transaction that creates a
 * session or moves its start; a `warmup` job scheduled for an earlier start goes stale because
 * `warmupDueAt` no longer matches it.
 */
export function scheduleWarmup(tx: Transaction, session: SessionRecord, edge: EdgeOptions): void {
  if (session.warmedUp || session.value.status !== 'scheduled') return;
  const dueAt = Date.parse(session.value.scheduledStartAt) - edge.warmupLeadTimeMs;
  if (dueAt <= tx.now) {
    emitWarmup(tx, session, edge);
    return;
  }
  session.warmupDueAt = dueAt;
  tx.schedule(dueAt, { kind: 'warmup', tenantId: session.tenantId, sessionId: session.value.id, dueAt });
}

/**
 * Emits the warm-up of a session (a working copy) about to go live, if it has not had one. Call in
 * the start's transaction, before `session.started`.
 */
export function warmUpOnStart(tx: Transaction, session: SessionRecord, edge: EdgeOptions): void {
  emitWarmup(tx, session, edge);
}

/**
 * Arranges the cool-down of a session (a working copy) that just ended: with the end when
 * `cooldownDelayMs` is 0, else as a `cooldown` job. Call in the end's transaction, after `session.ended`.
 */
export function scheduleCooldown(tx: Transaction, session: SessionRecord, edge: EdgeOptions): void {
  session.warmupDueAt = null;
  if (edge.cooldownDelayMs === 0) emitCooldown(tx, session, edge);
  else
    tx.schedule(tx.now + edge.cooldownDelayMs, {
      kind: 'cooldown',
      tenantId: session.tenantId,
      sessionId: session.value.id,
    });
}

/**
 * The `warmup` job: emits `livedrop.session.warmup_due` unless the job went stale — the session is
 * gone (a reset), its start moved (`warmupDueAt` differs), or a start or end settled it.
 * @returns whether it emitted
 */
export function runWarmup(engine: Engine, job: Extract<Job, { kind: 'warmup' }>): Promise<boolean> {
  return engine.transact((tx) => {
    const session = tx.get('sessions', job.sessionId);
    if (
      !session ||
      session.tenantId !== job.tenantId ||
      session.warmupDueAt !== job.dueAt ||
      session.value.status !== 'scheduled'
    )
      return false;
    return emitWarmup(tx, session, engine.config.edge);
  });
}

/**
 * The `cooldown` job: emits `livedrop.session.cooldown` once, unless the session is gone (a reset).
 * `cooldownDelayMs` in the event is the option in force when the job runs.
 * @returns whether it emitted
 */
export function runCooldown(engine: Engine, job: Extract<Job, { kind: 'cooldown' }>): Promise<boolean> {
  return engine.transact((tx) => {
    const session = tx.get('sessions', job.sessionId);
    if (!session || session.tenantId !== job.tenantId) return false;
    return emitCooldown(tx, session, engine.config.edge);
  });
}
