"use server";
// Server actions for an organization's settings and members, produced from lib/orgs/operations.ts.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { opAction, userAction } from "@/app/_lib/action";
import { requestOrigin } from "@/app/_lib/request";
import type { OrgContext } from "@/lib/context";
import { createOrganization } from "@/lib/orgs/organizations";
import {
  changeMemberRoleOp,
  inviteMemberOp,
  leaveOrganizationOp,
  removeMemberOp,
  revokeInvitationOp,
  setTwoFactorRequirementOp,
  updateOrganizationOp,
} from "@/lib/orgs/operations";
import { sendMail } from "@/lib/mail";

const refreshMembers = (ctx: OrgContext) => revalidatePath(`/orgs/${ctx.org.slug}/settings/members`);

export const createOrganizationAction = userAction(async ({ actor }, input) => {
  const org = await createOrganization(actor, input);
  revalidatePath("/", "layout");
  return { slug: org.slug };
});

export const updateOrganizationAction = opAction(updateOrganizationOp, (_ctx, org) => {
  revalidatePath("/", "layout");
  return { slug: org.slug };
});

export const inviteMemberAction = opAction(inviteMemberOp, async (ctx, { invitation, token }) => {
  const link = `${await requestOrigin()}/invite/${token}`;
  const emailed = await sendMail(
    invitation.email,
    `You're invited to ${ctx.org.name} on Latchkey`,
    `${ctx.actor.label} invited you to join ${ctx.org.name} as ${invitation.role}.\n\nAccept: ${link}\n\nThe link is valid for 7 days.`,
  );
  refreshMembers(ctx);
  return { link, email: invitation.email, emailed };
});

export const setTwoFactorRequirementAction = opAction(setTwoFactorRequirementOp, (ctx, result) => {
  revalidatePath(`/orgs/${ctx.org.slug}/settings`);
  return result;
});

export const revokeInvitationAction = opAction(revokeInvitationOp, refreshMembers);
export const changeRoleAction = opAction(changeMemberRoleOp, refreshMembers);
export const removeMemberAction = opAction(removeMemberOp, refreshMembers);

export const leaveOrganizationAction = opAction(leaveOrganizationOp, () => {
  revalidatePath("/", "layout");
  redirect("/");
});
