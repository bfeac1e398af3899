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
