// Owns reading table state (page, per-page, filters) from the URL with the same bounds everywhere.
import { z } from "zod";
import { isPerPage } from "@/lib/pagination";

export type RawSearchParams = Record<string, string | string[] | undefined>;


export function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function pagination(sp: RawSearchParams, defaultPerPage = 25): { page: number; perPage: number } {
  const page = z.coerce.number().int().min(1).max(100_000).catch(1).parse(first(sp.page) ?? 1);
  const perPage = z.coerce
    .number()
    .refine(isPerPage)
    .catch(defaultPerPage)
    .parse(first(sp.perPage) ?? defaultPerPage);
  return { page, perPage };
}
