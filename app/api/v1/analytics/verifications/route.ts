// GET /api/v1/analytics/verifications: counts by time bucket and outcome, from the rollups.
import { verificationAnalyticsOp } from "@/lib/analytics/operations";
import { restRoute } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";
export const GET = restRoute(verificationAnalyticsOp);
