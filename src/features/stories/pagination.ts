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
