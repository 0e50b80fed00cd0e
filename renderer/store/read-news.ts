// Reading a database's changes for the replication without what the desk holds already.

export type ChangeRow = { id: string; seq?: unknown; changes?: unknown; doc?: unknown };

/**
 * Events never change: what the log holds already (this device's own facts coming back after a reconnect: half of
 * what it reads) is neither fetched nor handed to RxDB to compare and store again. The changes are read without
 * their documents, page after page until there are `limit` news or the feed ends (RxDB takes a shorter read for the
 * end of the feed), and only the news are fetched, in one request. The last row always goes, as RxDB stores no
 * checkpoint for a read that brought nothing.
 */
export async function readNews(
  url: URL,
  init: RequestInit | undefined,
  limit: number,
  isStored: (id: string) => boolean,
): Promise<{ results: ChangeRow[]; lastSeq: unknown; full: boolean } | 'missing' | Response> {
  const ids = new URL(url);
  ids.searchParams.delete('include_docs');
  let news: ChangeRow[] = [];
  let lastSeq: unknown;
  let full = false;
  for (;;) {
    const response = await fetch(ids, init);
    if (response.status === 404) return 'missing';
    if (!response.ok) return response;
    const page = (await response.json()) as { results: ChangeRow[]; last_seq: unknown };
    lastSeq = page.last_seq;
    full = page.results.length >= limit;
    const last = page.results.at(-1);
    news = news.concat(
      page.results.filter((row) => !row.id.startsWith('_design/') && (row === last || !isStored(row.id))),
    );
    if (!full || news.length >= limit) break;
    ids.searchParams.set('since', String(page.last_seq));
  }
  if (news.length === 0) return { results: [], lastSeq, full };
  const database = url.pathname.replace(/\/_changes$/, '');
  const fetched = await fetch(`${url.origin}${database}/_all_docs?include_docs=true`, {
    ...init,
    method: 'POST',
    headers: { ...Object.fromEntries(new Headers(init?.headers)), 'content-type': 'application/json' },
    body: JSON.stringify({ keys: news.map((row) => row.id) }),
  });
  if (!fetched.ok) return fetched;
  const { rows } = (await fetched.json()) as { rows: { key: string; doc?: unknown }[] };
  const docs = new Map(rows.map((row) => [row.key, row.doc]));
  const results = news.flatMap((row) => {
    const doc = docs.get(row.id);
    return doc ? [{ ...row, doc }] : [];
  });
  return { results, lastSeq, full };
}
