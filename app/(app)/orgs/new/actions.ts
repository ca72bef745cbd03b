"use server";
import { revalidatePath } from "next/cache";
import { userAction } from "@/app/_lib/action";
import { createOrganization } from "@/lib/orgs/organizations";

export const createOrganizationAction = userAction(async ({ actor }, input) => {
  const org = await createOrganization(actor, input);
  revalidatePath("/", "layout");
  return { slug: org.slug };
});
