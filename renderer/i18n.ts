// Every string a person reads goes through t(): English now, Polish next (a Warsaw venue needs it).
// "{name}" is replaced by a parameter; an entry with `one`/`other` picks its form by the `count` parameter.

type Entry = string | { one: string; other: string };

const en = {
  'app.name': 'Stagedoor',
  'app.loading': 'Opening the local log…',
  'app.failed': 'The desk could not open its local log: {reason}',
  'nav.sell': 'Sell',
  'nav.concerts': 'Concerts',
  'nav.label': 'Screens',

  'setup.title': 'Set up this desk',
  'setup.intro':
    'This device keeps its own log and works offline. Tell it where the sync server is and what the desk is called.',
  'setup.server': 'Sync server address',
  'setup.serverHint': 'Where this desk app is served from, unless your administrator says otherwise.',
  'setup.name': 'Desk name',
  'setup.nameHint': 'Shown on sales and receipts, e.g. "Box office 1".',
  'setup.submit': 'Start selling',
  'setup.badServer': 'Enter the address as http://host:port or https://host.',
  'setup.missingName': 'Give the desk a name.',

  'sync.title': 'Sync status',
  'sync.online': 'Online',
  'sync.offline': 'Offline',
  'sync.waiting': 'Waiting to upload',
  'sync.lastContact': 'Last contact with the authority',
  'sync.never': 'never',
  'sync.secondsAgo': { one: '{count} second ago', other: '{count} seconds ago' },
  'sync.minutesAgo': { one: '{count} minute ago', other: '{count} minutes ago' },
  'sync.longPending': {
    one: 'A sale has waited for the authority for over {minutes} minutes. Keep the customer informed.',
    other:
      '{count} sales have waited for the authority for over {minutes} minutes. Keep the customers informed.',
  },
  'sync.device': '{name}',

  'status.requested': 'Requested',
  'status.draft': 'Draft',
  'status.published': 'On sale',
  'status.cancelled': 'Cancelled',
  'status.rejected': 'Rejected',
  'status.pending': 'Pending',
  'status.confirmed': 'Confirmed',
  'status.accepted': 'Done',

  'sell.title': 'Sell tickets',
  'sell.concert': 'Concert',
  'sell.chooseConcert': 'Choose a concert',
  'sell.notOnSale': '{concert} is not on sale ({status}).',
  'sell.level': 'Level',
  'sell.levelOption': '{name} — {price} — {left} left',
  'sell.quantity': 'Quantity',
  'sell.tendered': 'Cash tendered',
  'sell.tenderedHint': 'Leave empty for the exact amount.',
  'sell.total': 'Total',
  'sell.change': 'Change due',
  'sell.submit': 'Sell',
  'sell.keys':
    'Enter sells. After a sale the concert and level stay chosen: type the next quantity and press Enter.',
  'sell.noConcerts': 'No concert is on sale yet. Publish one on the Concerts screen.',
  'sell.badQuantity': 'Enter a quantity from 1 to 1000.',
  'sell.badTendered': 'Enter the cash tendered as an amount, e.g. 400 or 400.50.',
  'sell.shortTendered': 'The cash tendered is {short} short of the total.',
  'sell.overAvailable': {
    one: 'This desk believes only {count} seat is left in {level}. The authority will decide: the sale may be rejected and refunded.',
    other:
      'This desk believes only {count} seats are left in {level}. The authority will decide: the sale may be rejected and refunded.',
  },
  'sell.confirmOver': 'Sell anyway',
  'sell.back': 'Change the quantity',
  'sell.recorded': 'Sale recorded: {quantity} × {level}, change due {change}.',

  'availability.title': 'Availability',
  'availability.level': 'Level',
  'availability.price': 'Price',
  'availability.capacity': 'Capacity',
  'availability.sold': 'Sold',
  'availability.left': 'Left',
  'availability.pendingHere': 'Pending here',
  'availability.asOf': 'As this desk knows it, updated {time}.',
  'availability.live': 'Live: in step with the authority.',
  'availability.stale': 'Not in step with the authority: last update {time}.',
  'availability.neverSynced': 'Not synced with the authority yet.',

  'sales.title': 'Sales at this desk',
  'sales.none': 'No sales yet.',
  'sales.time': 'Time',
  'sales.concert': 'Concert',
  'sales.level': 'Level',
  'sales.quantity': 'Qty',
  'sales.total': 'Total',
  'sales.status': 'Status',
  'sales.reason': 'Authority says',

  'concerts.title': 'Concerts',
  'concerts.new': 'New concert',
  'concerts.none': 'No concerts yet.',
  'concerts.concert': 'Concert',
  'concerts.where': 'Venue',
  'concerts.when': 'Date',
  'concerts.levels': 'Levels',
  'concerts.status': 'Status',
  'concerts.actions': 'Actions',
  'concerts.edit': 'Edit',
  'concerts.publish': 'Publish',
  'concerts.unpublish': 'Unpublish',
  'concerts.cancel': 'Cancel concert',
  'concerts.cancelReason': 'Reason for cancelling {concert}',
  'concerts.cancelConfirm': 'Cancel the concert',
  'concerts.keep': 'Keep it',
  'concerts.levelSummary': '{name}: {left} of {capacity} left',
  'concerts.requests': 'Requests from this desk',
  'concerts.noRequests': 'No requests yet.',
  'concerts.request': 'Request',
  'concerts.requestedAt': 'Asked',

  'request.ConcertCreationRequested': 'Create',
  'request.ConcertDetailsChangeRequested': 'Change details',
  'request.TicketLevelsChangeRequested': 'Change levels',
  'request.ConcertPublicationRequested': 'Publish',
  'request.ConcertUnpublicationRequested': 'Unpublish',
  'request.ConcertCancellationRequested': 'Cancel',

  'form.createTitle': 'New concert',
  'form.editTitle': 'Edit {concert}',
  'form.artist': 'Artist',
  'form.title': 'Tour or show title',
  'form.venue': 'Venue',
  'form.city': 'City',
  'form.startsAt': 'Date and time (venue time)',
  'form.timezone': 'Venue timezone',
  'form.currency': 'Currency',
  'form.levels': 'Ticket levels',
  'form.levelName': 'Level name',
  'form.capacity': 'Capacity',
  'form.price': 'Price',
  'form.addLevel': 'Add a level',
  'form.removeLevel': 'Remove level {n}',
  'form.submitCreate': 'Ask to create',
  'form.submitEdit': 'Ask to change',
  'form.cancel': 'Close',
  'form.noChange': 'Nothing changed.',
  'form.errors': 'Fix these before sending:',
  'form.missingArtist': 'Give the concert an artist.',
  'form.missingVenue': 'Give the concert a venue.',
  'form.badStartsAt': 'Enter the date and time the concert starts.',
  'form.badTimezone': 'Choose the venue timezone, e.g. Europe/Warsaw.',
  'form.badCurrency': 'Enter the currency as a three-letter code, e.g. PLN.',
  'form.noLevels': 'Add at least one ticket level.',
  'form.levelNameMissing': 'Level {n} needs a name.',
  'form.levelDuplicate': 'Two levels are named "{name}".',
  'form.levelCapacity': 'Level {name} needs a capacity of at least 1 (whole seats).',
  'form.levelPrice': 'Level {name} needs a price such as 350 or 350.50.',
  'form.sent': 'Request sent. The authority will decide; its answer shows below.',
} satisfies Record<string, Entry>;

export type MessageKey = keyof typeof en;
export type Params = Record<string, string | number>;

const plural = new Intl.PluralRules('en');

export function t(key: MessageKey, params: Params = {}): string {
  const entry: Entry = en[key];
  const text =
    typeof entry === 'string'
      ? entry
      : entry[plural.select(Number(params.count ?? 0)) === 'one' ? 'one' : 'other'];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export const locale = 'en';
