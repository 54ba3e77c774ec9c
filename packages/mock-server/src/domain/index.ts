import type { Handlers } from '../http/handler';
import { controlHandlers } from './control';
import { eventHandlers } from './events';
import { metaHandlers } from './meta';
import { offerHandlers } from './offers';
import { partyHandlers } from './parties';
import { reservationHandlers } from './reservations';
import { sessionHandlers } from './sessions';
import { tokenHandlers } from './tokens';

/** Every operation the reference server implements, by operation id. */
export const domainHandlers: Handlers = {
  ...partyHandlers,
  ...sessionHandlers,
  ...offerHandlers,
  ...tokenHandlers,
  ...reservationHandlers,
  ...eventHandlers,
  ...controlHandlers,
  ...metaHandlers,
};
