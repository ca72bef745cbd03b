// Owns how the REST API shows a holder's credits (its zod schema feeds the OpenAPI document).
import { z } from "zod";
import { REFILL_INTERVALS } from "./credit-names";

export const creditsJsonSchema = z.object({
  remaining: z.number().int(),
  refill: z.object({ amount: z.number().int(), interval: z.enum(REFILL_INTERVALS), refillDay: z.number().int().nullable() }).nullable(),
  lowThreshold: z.number().int().nullable().describe("Below this, the holder is low on credits (shown; notifications later)."),
  nextRefillAt: z.string().nullable().describe("ISO 8601: when the next refill is due."),
});
