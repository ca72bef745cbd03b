// GET, PATCH and DELETE /api/v1/keys/{id}.
import { deleteKeyOp, getKeyOp, updateKeyOp } from "@/lib/api/handlers";
import { withApiKey } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";
export const GET = withApiKey(getKeyOp, { permission: "keys:read" });
export const PATCH = withApiKey(updateKeyOp, { permission: "keys:write" });
export const DELETE = withApiKey(deleteKeyOp, { permission: "keys:write" });
