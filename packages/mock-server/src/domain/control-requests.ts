import type { Engine } from '../engine';
import { ok, type Handlers } from '../http/handler';
import { journalPage, verifyJournal } from '../journal/journal-query';
import { ApiProblem } from '../problem';
import type { JournalStore } from '../storage/journal-store';

function journalOf(engine: Engine): JournalStore {
  if (engine.journal === null)
    throw new ApiProblem(
      'invalid_state',
      'The request journal is off on this server (journal: false or --no-journal); start it without that to list or verify requests.',
    );
  return engine.journal;
}

/** The request journal's control routes: list it and verify what it holds (control key only). */
export const controlRequestHandlers = {
  async controlListRequests({ engine, query }) {
    const journal = journalOf(engine);
    return ok(journalPage(await journal.read(), query, journal.size));
  },

  async controlVerifyRequests({ engine, body }) {
    const journal = journalOf(engine);
    return ok(verifyJournal(await journal.read(), body.match, body.count));
  },
} satisfies Handlers;
