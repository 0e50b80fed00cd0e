// The codes a sale's tickets carry: which kind each ticket is (what the desk may promise for it now), and the signed
// QR text, made with this desk's certified key. A reprint prints the codes the sale was printed with before, so the
// ticket in the buyer's hand and the reprint are one ticket; only a provisional print is replaced once the authority
// has confirmed the sale.
import type { ConcertView, SaleState, SaleView } from '../../domain/desk/desk-view';
import type { AnyEventDoc, FactDoc } from '../../domain/events/catalogue';
import { saleReservationIdFor, ticketIdsFor } from '../../domain/order/order';
import { deskSigner, readTicketCode, signTicket } from '../../domain/ticket/signing';
import type { TicketClaim, TicketKind } from '../../domain/ticket/signing';

/** The entry window a ticket is valid in, around the concert's start: doors open hours before, late shows run long. */
export const entryOpensBeforeMs = 6 * 3_600_000;
export const entryClosesAfterMs = 12 * 3_600_000;

/**
 * The kind of ticket a sale in this state is printed as: guaranteed inside the desk's block (the authority confirms
 * it unconditionally), provisional while pending (it may still be refused), confirmed once the authority allocated
 * the seats. A rejected sale has no tickets.
 */
export function ticketKindOf(status: SaleState): TicketKind | undefined {
  switch (status) {
    case 'guaranteed':
      return 'guaranteed';
    case 'pending':
      return 'provisional';
    case 'confirmed':
      return 'confirmed';
    case 'rejected':
      return undefined;
  }
}

/** A sale's ticket ids, as the concert issues them when it allocates the seats (`sale:<saleId>:t<n>`). */
export const saleTicketIds = (sale: Pick<SaleView, 'saleId' | 'quantity'>): string[] =>
  ticketIdsFor(saleReservationIdFor(sale.saleId), sale.quantity);

export function entryWindow(startsAt: string): { validFrom: string; validUntil: string } {
  const start = Date.parse(startsAt);
  return {
    validFrom: new Date(start - entryOpensBeforeMs).toISOString(),
    validUntil: new Date(start + entryClosesAfterMs).toISOString(),
  };
}

/** What each of a sale's tickets says, before it is signed. */
export function ticketClaims(
  sale: Pick<SaleView, 'saleId' | 'concertId' | 'level' | 'quantity'>,
  concert: Pick<ConcertView, 'startsAt'>,
  kind: TicketKind,
  certificateId: string,
  signedAt: string,
): TicketClaim[] {
  const window = entryWindow(concert.startsAt);
  return saleTicketIds(sale).map((ticketId) => ({
    ticketId,
    concertId: sale.concertId,
    level: sale.level,
    kind,
    ...window,
    signer: deskSigner(certificateId),
    signedAt,
  }));
}

/** The sale's last print in the log this desk holds (ULIDs sort by time), if it was printed before. */
export function lastPrintOf(
  docs: Iterable<AnyEventDoc>,
  saleId: string,
): FactDoc<'TicketsPrinted'> | undefined {
  let last: FactDoc<'TicketsPrinted'> | undefined;
  for (const doc of docs)
    if (doc.type === 'TicketsPrinted' && doc.data.saleId === saleId && (!last || doc._id > last._id))
      last = doc;
  return last;
}

/** The kind the codes of a print say (all of a print's codes are of one kind). */
export const kindOfCodes = (codes: readonly string[]): TicketKind | undefined =>
  codes[0] === undefined ? undefined : readTicketCode(codes[0])?.claim.kind;

/**
 * Whether a print's codes are printed again as they are: yes, unless they were provisional and the sale is now
 * guaranteed or confirmed (the better ticket replaces the provisional one), or they do not fit the sale any more.
 */
export function reusable(
  previous: Pick<FactDoc<'TicketsPrinted'>['data'], 'codes' | 'ticketIds'> | undefined,
  sale: Pick<SaleView, 'saleId' | 'quantity'>,
  kindNow: TicketKind,
): boolean {
  if (!previous) return false;
  const ids = saleTicketIds(sale);
  if (previous.ticketIds.length !== ids.length || previous.ticketIds.some((id, i) => id !== ids[i]))
    return false;
  const before = kindOfCodes(previous.codes);
  if (before === undefined) return false;
  return before !== 'provisional' || kindNow === 'provisional';
}

export type SaleCodes = {
  ticketIds: string[];
  codes: string[];
  kind: TicketKind;
  /** Printed before: the same codes again (or the confirmed ones replacing provisional ones). */
  reprint: boolean;
};

/** The signer a desk's codes name: its live certificate for the concert, and the private key it certifies. */
export type DeskSigner = { certificateId: string; privateKey: CryptoKey };

/**
 * The codes to print for a sale now: the previous print's when they still hold, else new ones signed with the desk's
 * key. Throws when the sale is rejected (it has no tickets).
 */
export async function saleCodes(input: {
  sale: SaleView;
  concert: Pick<ConcertView, 'startsAt'>;
  previous: FactDoc<'TicketsPrinted'> | undefined;
  signer: DeskSigner | undefined;
  /** Now on the authority's clock as the desk knows it (its certificate's dates are on that clock). */
  signedAt: string;
}): Promise<SaleCodes> {
  const { sale, concert, previous, signer, signedAt } = input;
  const kind = ticketKindOf(sale.status);
  if (kind === undefined) throw new Error('A rejected sale has no tickets to print.');
  const reprint = previous !== undefined;
  if (previous && reusable(previous.data, sale, kind))
    return {
      ticketIds: previous.data.ticketIds,
      codes: previous.data.codes,
      kind: kindOfCodes(previous.data.codes) ?? kind,
      reprint,
    };
  if (!signer) throw new NoCertificate();
  const claims = ticketClaims(sale, concert, kind, signer.certificateId, signedAt);
  const codes = await Promise.all(claims.map((claim) => signTicket(claim, signer.privateKey)));
  return { ticketIds: claims.map((c) => c.ticketId), codes, kind, reprint };
}

/** The desk holds no live certificate for the concert: its tickets could not be verified at the gate. */
export class NoCertificate extends Error {
  constructor() {
    super(
      'This desk’s key is not certified for this concert yet, so its tickets would be refused at the gate. ' +
        'Connect the desk to the network once; the certificate comes within seconds.',
    );
    this.name = 'NoCertificate';
  }
}

/** How often each sale was printed, from the log this desk holds. */
export function printCounts(docs: Iterable<AnyEventDoc>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const doc of docs)
    if (doc.type === 'TicketsPrinted') counts.set(doc.data.saleId, (counts.get(doc.data.saleId) ?? 0) + 1);
  return counts;
}
