// Owns the page sizes every paginated list offers (client-safe).
export const PER_PAGE_OPTIONS = [10, 25, 50, 100] as const;
export const isPerPage = (n: number) => (PER_PAGE_OPTIONS as readonly number[]).includes(n);
