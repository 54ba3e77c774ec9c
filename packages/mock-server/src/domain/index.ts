import type { Handlers } from '../http/handler';
import { buyerSessionHandlers } from './buyer-sessions';
import { controlHandlers } from './control';
import { controlRequestHandlers } from './control-requests';
import { dashboardHandlers } from './dashboard';
import { eventHandlers } from './events';
import { listingHandlers } from './listing';
import { metaHandlers } from './meta';
import { offerHandlers } from './offers';
import { orderHandlers } from './orders';
import { partyHandlers } from './parties';
import { reservationHandlers } from './reservations';
import { sessionHandlers } from './sessions';
import { streamHandlers } from './streams';
import { tokenHandlers } from './tokens';
import { webhookHandlers } from './webhooks';

/** Every operation the reference server implements, by operation id. */
export const domainHandlers: Handlers = {
  ...partyHandlers,
  ...sessionHandlers,
  ...offerHandlers,
  ...tokenHandlers,
  ...buyerSessionHandlers,
  ...reservationHandlers,
  ...orderHandlers,
  ...dashboardHandlers,
  ...eventHandlers,
  ...streamHandlers,
  ...listingHandlers,
  ...controlHandlers,
  ...controlRequestHandlers,
  ...metaHandlers,
  ...webhookHandlers,
};
