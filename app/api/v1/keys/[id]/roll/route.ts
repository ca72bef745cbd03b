// POST /api/v1/keys/{id}/roll: a new token (in this response only); the old one lasts the grace period.
import { rollKeyOp } from "@/lib/api/handlers";
import { withApiKey } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";
export const POST = withApiKey(rollKeyOp, { permission: "keys:write" });
