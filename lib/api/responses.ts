// Owns the documented shapes of management API responses other than a key itself (zod, so the
// OpenAPI document is generated from them).
import { z } from "zod";
import { VERIFY_CODES } from "../verify/codes";
import { apiKeySchema } from "./key-json";

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    page: z.number().int(),
    perPage: z.number().int(),
    total: z.number().int().describe("Items matching the query, on every page."),
    totalPages: z.number().int(),
  });

export const requestLogEntrySchema = z.object({
  at: z.string().describe("ISO 8601 date-time"),
  code: z.enum(VERIFY_CODES),
  ip: z.string().nullable(),
  method: z.string().nullable(),
  path: z.string().nullable(),
});

export const auditEventSchema = z.object({
  id: z.string(),
  at: z.string().describe("ISO 8601 date-time"),
  action: z.string().describe("e.g. key.created, key.rolled, key.revoked, member.removed"),
  actor: z.object({
    userId: z.string().nullable(),
    keyId: z.string().nullable().describe("Set when the change was made through the API: the acting key."),
    label: z.string(),
  }),
  target: z.object({ type: z.string(), id: z.string(), label: z.string().nullable() }),
  ip: z.string().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});

export const keyPageSchema = pageOf(apiKeySchema);
export const requestLogPageSchema = pageOf(requestLogEntrySchema);
export const auditPageSchema = pageOf(auditEventSchema);
