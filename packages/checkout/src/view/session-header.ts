import type { Creator, Session } from '@livedrop/browser';
import { h, present, setText } from './dom';

const STATUS_LABEL: Record<Session['status'], string> = { scheduled: 'Starting soon', live: 'Live', ended: 'Ended' };

/** The session's title, its creator with the verified badge, and whether it is live. */
export class SessionHeader {
  readonly element: HTMLElement;
  readonly #title = h('h2', 'session-title');
  readonly #status = h('span', { class: 'live', part: 'status' });
  readonly #creator = h('span', 'creator');

  constructor() {
    this.element = h('header', 'header', this.#title, this.#status, this.#creator);
  }

  /** Shows the session and its creator. */
  update(session: Session, creator: Creator): void {
    setText(this.#title, session.title);
    this.setStatus(session.status);
    this.#creator.replaceChildren(
      ...present([
        h('span', { part: 'creator-name' }, `${creator.displayName} @${creator.handle}`),
        creator.verified &&
          h('span', { class: 'badge', part: 'badge creator-badge', attrs: { title: 'Verified creator' } }, 'Verified'),
      ]),
    );
  }

  /** Shows the session's state. */
  setStatus(status: Session['status']): void {
    this.#status.dataset['state'] = status;
    setText(this.#status, STATUS_LABEL[status]);
  }
}
