// GET /api/v1/customers (list) and POST /api/v1/customers (create).
import { createCustomerOp, listCustomersOp } from "@/lib/customers/operations";
import { restRoute } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";
export const GET = restRoute(listCustomersOp);
export const POST = restRoute(createCustomerOp);
