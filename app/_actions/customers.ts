"use server";
// Server actions for customers, produced from lib/customers/operations.ts.
import { revalidatePath } from "next/cache";
import { opAction } from "@/app/_lib/action";
import type { OrgContext } from "@/lib/context";
import { createCustomerOp, deleteCustomerOp, updateCustomerOp } from "@/lib/customers/operations";

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
