// POST /api/v1/keys/{id}/roll.
import { rollKeyOp } from "@/lib/keys/operations";
import { restRoute } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";
export const POST = restRoute(rollKeyOp);
