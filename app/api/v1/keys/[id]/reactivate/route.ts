// POST /api/v1/keys/{id}/reactivate.
import { statusOp } from "@/lib/api/handlers";
import { withApiKey } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";
export const POST = withApiKey(statusOp("reactivate"), { permission: "keys:write" });
