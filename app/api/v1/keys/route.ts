// GET /api/v1/keys (list) and POST /api/v1/keys (create; the token is in this response only).
import { createKeyOp, listKeysOp } from "@/lib/api/handlers";
import { withApiKey } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";
export const GET = withApiKey(listKeysOp, { permission: "keys:read" });
export const POST = withApiKey(createKeyOp, { permission: "keys:write" });
