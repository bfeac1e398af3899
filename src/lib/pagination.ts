// Lists a page at a time, and the NHS numbered pagination under them. Two shapes of the page links
// remain (stories and moderation: neighbours either side; people and the audit log: two either side,
// with labels) until the lists agree on one.

// ?page=N for lists. Anything that is not a whole number from 1 up is "no such page" (404), never
// a fault; the caller also 404s a page past the last one.
export function parsePage(raw: unknown): number | null {
  if (raw === undefined || raw === '') return 1;
  if (typeof raw !== 'string' || !/^[1-9]\d{0,5}$/.test(raw)) return null;
  return Number(raw);
}

export const pageCount = (total: number, perPage: number) => Math.max(1, Math.ceil(total / perPage));

type PageItem = { number?: number; href?: string; current?: boolean; ellipsis?: boolean };
export type PaginationParams = { items: PageItem[]; previous?: { href: string }; next?: { href: string } };

// Parameters for the NHS pagination component (numbered), or null when there is one page.
// Shows the first, last, current and its neighbours, with an ellipsis for each gap.
export function paginationParams(page: number, total: number, perPage: number, href: (n: number) => string): PaginationParams | null {
  const last = pageCount(total, perPage);
  if (last <= 1) return null;
  const shown = [...new Set([1, page - 1, page, page + 1, last])].filter((n) => n >= 1 && n <= last).sort((a, b) => a - b);
  const items: PageItem[] = [];
  let previousNumber = 0;
  for (const n of shown) {
    if (n - previousNumber > 1) items.push({ ellipsis: true });
    items.push({ number: n, href: href(n), current: n === page });
    previousNumber = n;
  }
  return {
    items,
    ...(page > 1 ? { previous: { href: href(page - 1) } } : {}),
    ...(page < last ? { next: { href: href(page + 1) } } : {}),
  };
}

export const pageHref = (path: string) => (n: number) => (n === 1 ? path : `${path}?page=${n}`);

// Page links for the NHS numbered pagination: first, last and two either side of the current page.
export function pageItems(page: number, pages: number, href: (n: number) => string) {
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 2) items.push({ number: n, href: href(n), current: n === page });
    else if (!('ellipsis' in (items[items.length - 1] ?? {}))) items.push({ ellipsis: true });
  }
  return items;
}

// Everything the NHS pagination macro needs, or null when there is only one page (or the page
// asked for is past the last).
export function pagination(page: number, pages: number, href: (n: number) => string, labels: { previous: string; next: string }) {
  if (pages <= 1 || page > pages) return null;
  return {
    items: pageItems(page, pages, href),
    previous: page > 1 ? { href: href(page - 1), labelText: labels.previous } : undefined,
    next: page < pages ? { href: href(page + 1), labelText: labels.next } : undefined,
  };
}
