// GET /api/v1/keys/{id}/logs: the key's request log (newest first).
import { listKeyLogsOp } from "@/lib/keys/operations";
import { restRoute } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";
export const GET = restRoute(listKeyLogsOp);
