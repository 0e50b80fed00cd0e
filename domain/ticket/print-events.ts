// Printing at the desk: the codes a sale's tickets were printed with, kept in the concert's log so that a reprint is
// recorded and prints the same codes. A record of what the desk did, not a request: the authority decides nothing
// about it (a print takes no seat and can't be refused), so it has no decision.
import { z } from 'zod';
import { concertIdSchema } from '../concert/events';
import { isoInstant } from '../log/envelope';

const id = z.string().min(1).max(100);
/** A QR text ('SD1.' + claim + '.' + signature, domain/ticket/signing.ts): a few hundred characters. */
const code = z.string().min(1).max(2000);

export const ticketPrintSchemas = {
  /** One print (or reprint) of a sale's tickets: `codes[i]` is the QR text printed for `ticketIds[i]`. */
  TicketsPrinted: z
    .object({
      /** The fact's id. */
      printId: id,
      saleId: id,
      concertId: concertIdSchema,
      ticketIds: z.array(id).min(1).max(1000),
      codes: z.array(code).min(1).max(1000),
      /** A sale printed before: the same codes again, unless the sale was confirmed since a provisional print. */
      reprint: z.boolean(),
      /** The device's clock when it printed. */
      at: isoInstant,
    })
    .refine((print) => print.codes.length === print.ticketIds.length, {
      message: 'one code per ticket',
      path: ['codes'],
    }),
} as const;

export const ticketPrintWriters = {
  TicketsPrinted: 'device',
} as const satisfies Record<keyof typeof ticketPrintSchemas, 'device' | 'authority'>;
