"use server";
// Server actions for customers, produced from lib/customers/operations.ts.
import { revalidatePath } from "next/cache";
import { opAction } from "@/app/_lib/action";
import type { OrgContext } from "@/lib/context";
import { createCustomerOp, deleteCustomerOp, listCustomersOp, updateCustomerOp } from "@/lib/customers/operations";
import { customerLabel } from "@/lib/customers/names";

const refresh = (ctx: OrgContext) => revalidatePath(`/orgs/${ctx.org.slug}/settings`, "layout");

export const createCustomerAction = opAction(createCustomerOp, (ctx, c) => {
  refresh(ctx);
  return { id: c.id, name: c.name };
});

export const updateCustomerAction = opAction(updateCustomerOp, (ctx, c) => {
  refresh(ctx);
  return { id: c.id };
});

export const deleteCustomerAction = opAction(deleteCustomerOp, refresh);

/** The key form's and the keys table's customer picker: a search by name, external ID or id. */
export const searchCustomersAction = opAction(listCustomersOp, (_ctx, { rows, total }) => ({ options: rows.map((c) => ({ id: c.id, label: customerLabel(c) })), total }));
