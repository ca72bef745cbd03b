// Owns the documented shape of verify responses (zod, so the OpenAPI document is generated from it).
import { z } from "zod";
import { VERIFY_CODES } from "./codes";

export const verifyResponseSchema = z
  .object({
    valid: z.boolean().describe("True only when code is VALID."),
    code: z.enum(VERIFY_CODES).describe("The first failing check, in this order; VALID when all pass."),
    keyId: z.string().optional(),
    organizationId: z.string().optional(),
    ownerId: z.string().nullable().optional(),
    name: z.string().optional(),
    type: z.enum(["secret", "public"]).optional(),
    environment: z.enum(["production", "staging", "development"]).optional(),
    permissions: z.array(z.string()).optional().describe("Effective permissions: the key's own, capped by its owner's current role."),
    expiresAt: z.string().nullable().optional(),
    externalId: z.string().nullable().optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    customer: z
      .object({ id: z.string(), externalId: z.string(), name: z.string(), metadata: z.record(z.string(), z.unknown()) })
      .nullable()
      .optional()
      .describe("The customer the key is scoped to (null: none)."),
    credits: z.object({ remaining: z.number().int() }).optional().describe("For keys with credits (their own or their customer's): what is left after this request."),
    ratelimit: z
      .object({ limit: z.number().int(), remaining: z.number().int(), reset: z.number().int().describe("Unix time (s) when the whole quota is back (the window slides); while remaining is 0, when the next request is allowed.") })
      .optional()
      .describe("The tightest limit applied: the one that refused the request, else the one with the least left (the RateLimit headers describe it too)."),
    ratelimits: z
      .array(z.object({ name: z.string(), limit: z.number().int(), remaining: z.number().int(), reset: z.number().int().describe("Unix time (s), as in `ratelimit`.") }))
      .optional()
      .describe("Every named limit applied to this request (the key's, and its customer's under other names), after it."),
  })
  .describe("Identity fields are present for every key that exists, whatever the code; absent for MALFORMED and NOT_FOUND.");

/** Verification's errors are the same problem documents as the management API's. */
export { apiProblemSchema as problemSchema } from "../api/problem";
