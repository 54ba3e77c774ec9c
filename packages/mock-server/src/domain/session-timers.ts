import type { Engine } from '../engine';
import type { SessionRecord } from '../store';
import { edgeOptions } from './edge-options';

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
 */

interface Lifecycle {
  /** When the pending warm-up is due (epoch ms); a timer due at another time is stale. */
  warmupDueAt: number | null;
  warmedUp: boolean;
  cooledDown: boolean;
}

const lifecycles = new WeakMap<SessionRecord, Lifecycle>();

function lifecycleOf(record: SessionRecord): Lifecycle {
  let lifecycle = lifecycles.get(record);
  if (!lifecycle) lifecycles.set(record, (lifecycle = { warmupDueAt: null, warmedUp: false, cooledDown: false }));
  return lifecycle;
}

function emitWarmup(engine: Engine, record: SessionRecord): void {
  const lifecycle = lifecycleOf(record);
  if (lifecycle.warmedUp) return;
  lifecycle.warmedUp = true;
  lifecycle.warmupDueAt = null;
  const session = record.value;
  engine.emit(record.tenantId, 'livedrop.session.warmup_due', session.id, {
    sessionId: session.id,
    scheduledStartAt: session.scheduledStartAt,
    expectedViewers: session.expectedViewers,
    leadTimeMs: edgeOptions(engine).warmupLeadTimeMs,
  });
}

/**
 * Arranges the warm-up of a scheduled session for `warmupLeadTimeMs` before its start, or emits it
 * now when that moment has passed. Call after creating a session and after moving its start.
 */
export function scheduleWarmup(engine: Engine, record: SessionRecord): void {
  const lifecycle = lifecycleOf(record);
  if (lifecycle.warmedUp || record.value.status !== 'scheduled') return;
  const dueAt = Date.parse(record.value.scheduledStartAt) - edgeOptions(engine).warmupLeadTimeMs;
  if (dueAt <= engine.clock.now()) {
    emitWarmup(engine, record);
    return;
  }
  lifecycle.warmupDueAt = dueAt;
  engine.timers.schedule(dueAt, () => {
    // A reset forgets the session; a reschedule makes this timer stale; a start or end settled it.
    if (engine.store.sessions.get(record.value.id) !== record || lifecycle.warmupDueAt !== dueAt || record.value.status !== 'scheduled') return false;
    emitWarmup(engine, record);
    return undefined;
  });
}

/** Emits the warm-up of a session about to go live, if it has not had one. Call before `session.started`. */
export function warmUpOnStart(engine: Engine, record: SessionRecord): void {
  emitWarmup(engine, record);
}

/** Arranges the cool-down of a session that just ended. Call after `session.ended`. */
export function scheduleCooldown(engine: Engine, record: SessionRecord): void {
  const lifecycle = lifecycleOf(record);
  lifecycle.warmupDueAt = null;
  const { cooldownDelayMs } = edgeOptions(engine);
  const emit = (): false | undefined => {
    if (lifecycle.cooledDown || engine.store.sessions.get(record.value.id) !== record) return false;
    lifecycle.cooledDown = true;
    const session = record.value;
    engine.emit(record.tenantId, 'livedrop.session.cooldown', session.id, {
      sessionId: session.id,
      startedAt: session.startedAt,
      endedAt: session.endedAt ?? engine.nowIso(),
      expectedViewers: session.expectedViewers,
      cooldownDelayMs,
    });
    return undefined;
  };
  if (cooldownDelayMs === 0) emit();
  else engine.timers.schedule(engine.clock.now() + cooldownDelayMs, emit);
}
