// GET /api/v1/audit: the organization's audit log (newest first).
import { auditOp } from "@/lib/api/handlers";
import { withApiKey } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";
export const GET = withApiKey(auditOp, { permission: "audit:read" });
