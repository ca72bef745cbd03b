// Owns the analytics operation: GET /api/v1/analytics/verifications (read from the rollups).
import { z } from "zod";
import { operation } from "../ops/operation";
import { parseInput } from "../validation";
import { verificationAnalytics, verificationAnalyticsParams, verificationAnalyticsQuerySchema } from "./verifications";

export const verificationCountsSchema = z.object({
  data: z.array(z.object({ time: z.string().describe("Start of the bucket, ISO 8601"), outcome: z.string(), count: z.number().int() })),
  from: z.string(),
  to: z.string(),
  granularity: z.string(),
});

export const verificationAnalyticsOp = operation({
  name: "getVerificationAnalytics",
  summary: "Verifications by time bucket and outcome",
  description: "Counts from the per-minute/hour/day rollups (never raw rows), filtered by key, customer, environment and outcome. `from` defaults to 24 h before `to` (default now); at most 400 days, minute buckets at most 7 days.",
  permission: "analytics:read",
  input: { query: verificationAnalyticsParams },
  handler: async (ctx, { query }) => {
    const q = parseInput(verificationAnalyticsQuerySchema, query);
    return { q, data: await verificationAnalytics(ctx, q) };
  },
  rest: {
    method: "GET",
    path: "/api/v1/analytics/verifications",
    tag: "Analytics",
    ok: { status: 200, schema: "VerificationCounts", description: "Counts per bucket and outcome, oldest first (empty buckets left out)." },
    present: (_ctx, { q, data }) => ({ status: 200, body: { data, from: q.from.toISOString(), to: q.to.toISOString(), granularity: q.bucket } }),
  },
});
