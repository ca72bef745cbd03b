// POST /api/v1/keys/{id}/suspend.
import { statusOp } from "@/lib/api/handlers";
import { withApiKey } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";
export const POST = withApiKey(statusOp("suspend"), { permission: "keys:write" });
