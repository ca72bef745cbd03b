// POST /api/v1/keys/{id}/revoke.
import { revokeKeyOp } from "@/lib/keys/operations";
import { restRoute } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";
export const POST = restRoute(revokeKeyOp);
