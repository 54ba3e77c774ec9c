import type { Creator, PublicSession } from '@livedrop/browser';
import { formatRate } from '../format';
import { h, present, setText } from './dom';

const STATUS_LABEL: Record<PublicSession['status'], string> = {
  scheduled: 'Starting soon',
  live: 'Live',
  ended: 'Ended',
};

/**
 * The session's title, its creator with the verified badge and track record (sessions run and
 * sell-through over the server's trust window, once they have run one), and whether it is live.
 */
export class SessionHeader {
  readonly element: HTMLElement;
  readonly #title = h('h2', 'session-title');
  readonly #status = h('span', { class: 'live', part: 'status' });
  readonly #creator = h('span', 'creator');

  constructor() {
    this.element = h('header', 'header', this.#title, this.#status, this.#creator);
  }

  /** Shows the session and its creator. */
  update(session: PublicSession, creator: Creator): void {
    setText(this.#title, session.title);
    this.setStatus(session.status);
    this.#creator.replaceChildren(
      ...present([
        h('span', { part: 'creator-name' }, `${creator.displayName} @${creator.handle}`),
        creator.verified &&
          h('span', { class: 'badge', part: 'badge creator-badge', attrs: { title: 'Verified creator' } }, 'Verified'),
        creatorTrust(creator),
      ]),
    );
  }

  /** Shows the session's state. */
  setStatus(status: PublicSession['status']): void {
    this.#status.dataset['state'] = status;
    setText(this.#status, STATUS_LABEL[status]);
  }
}

/** "3 sessions · 67% sold": the creator's record, or nothing before their first ended session. */
function creatorTrust({ trust }: Creator): HTMLElement | false {
  if (trust.sessionsRun === 0) return false;
  const sessions = `${trust.sessionsRun} ${trust.sessionsRun === 1 ? 'session' : 'sessions'}`;
  return h(
    'span',
    { part: 'creator-trust', attrs: { title: 'Live sessions run and units sold of those offered, last 90 days' } },
    `${sessions} · ${formatRate(trust.sellThroughBps / 10_000)} sold`,
  );
}
