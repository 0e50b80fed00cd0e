// Upcasters: an event stored under an older schema version is read as the current version, never rewritten.
// Each upcaster lifts `data` by one version; a chain of them lifts any old version to the current one.

/** What an upcaster may need to know that an old event did not record. */
export type UpcastContext = {
  /** The currency of a concert, as the reader knows it (the authority's state, a device's projection). */
  currencyOf?: (concertId: string) => string | undefined;
};

type Data = Record<string, unknown>;
export type Upcaster = (data: Data, context: UpcastContext) => Data | { cannot: string };

/** upcasters[type][from] lifts data from version `from` to `from + 1`. */
export const upcasters: Record<string, Record<number, Upcaster>> = {
  // SaleRecorded v1 had no currency: every sale was in its concert's currency. v2 records it, so a sale can't be
  // taken in one currency and decided in another.
  SaleRecorded: {
    1: (data, context) => {
      const concertId = typeof data.concertId === 'string' ? data.concertId : '';
      const currency = context.currencyOf?.(concertId);
      if (!currency)
        return {
          cannot: `a v1 SaleRecorded needs the currency of concert "${concertId}", which is unknown here`,
        };
      return { ...data, currency };
    },
  },
};

/** Lifts `data` from version `from` to `to`, or says why it can't. */
export function upcast(
  type: string,
  from: number,
  to: number,
  data: unknown,
  context: UpcastContext,
): { ok: true; data: unknown } | { ok: false; reason: string } {
  let current = data;
  for (let version = from; version < to; version++) {
    const up = upcasters[type]?.[version];
    if (!up)
      return { ok: false, reason: `${type} v${version} can't be read: no upcaster to v${version + 1}` };
    if (typeof current !== 'object' || current === null)
      return { ok: false, reason: `${type} v${version} has no data` };
    const lifted = up(current as Data, context);
    if ('cannot' in lifted && typeof lifted.cannot === 'string') return { ok: false, reason: lifted.cannot };
    current = lifted;
  }
  return { ok: true, data: current };
}
