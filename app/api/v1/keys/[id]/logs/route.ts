// GET /api/v1/keys/{id}/logs: the key's request log (newest first).
import { keyLogsOp } from "@/lib/api/handlers";
import { withApiKey } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";
export const GET = withApiKey(keyLogsOp, { permission: "keys:read" });
