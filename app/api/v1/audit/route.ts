// GET /api/v1/audit: the organization's audit log (newest first).
import { listAuditEventsOp } from "@/lib/audit/operations";
import { restRoute } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";
export const GET = restRoute(listAuditEventsOp);
