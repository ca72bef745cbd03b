// GET, PATCH and DELETE /api/v1/keys/{id}.
import { deleteKeyOp, getKeyOp, updateKeyOp } from "@/lib/keys/operations";
import { restRoute } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";
export const GET = restRoute(getKeyOp);
export const PATCH = restRoute(updateKeyOp);
export const DELETE = restRoute(deleteKeyOp);
