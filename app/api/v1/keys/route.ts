// GET /api/v1/keys (list) and POST /api/v1/keys (create; the token is in this response only).
import { createKeyOp, listKeysOp } from "@/lib/keys/operations";
import { restRoute } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";
export const GET = restRoute(listKeysOp);
export const POST = restRoute(createKeyOp);
