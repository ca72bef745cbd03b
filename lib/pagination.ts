// Owns the page sizes the tables offer (client-safe). Any perPage from 1 to 100 is accepted
// (lib/primitives.ts pageQuery); these are the choices the UI shows.
export const PER_PAGE_OPTIONS = [10, 25, 50, 100] as const;
