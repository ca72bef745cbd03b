// GET, PATCH and DELETE /api/v1/customers/{id}.
import { deleteCustomerOp, getCustomerOp, updateCustomerOp } from "@/lib/customers/operations";
import { restRoute } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";
export const GET = restRoute(getCustomerOp);
export const PATCH = restRoute(updateCustomerOp);
export const DELETE = restRoute(deleteCustomerOp);
