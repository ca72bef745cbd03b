"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { orgAction } from "@/app/_lib/action";
import { requestOrigin } from "@/app/_lib/request";
import { updateOrganization } from "@/lib/orgs/organizations";
import { changeMemberRole, leaveOrganization, removeMember } from "@/lib/orgs/members";
import { createInvitation, revokeInvitation } from "@/lib/orgs/invitations";
import { sendMail } from "@/lib/mail";

export const updateOrganizationAction = orgAction(async (ctx, input) => {
  const org = await updateOrganization(ctx, input);
  revalidatePath("/", "layout");
  return { slug: org.slug };
});

export const inviteMemberAction = orgAction(async (ctx, input) => {
  const { invitation, token } = await createInvitation(ctx, input);
  const link = `${await requestOrigin()}/invite/${token}`;
  const emailed = await sendMail(
    invitation.email,
    `You're invited to ${ctx.org.name} on Latchkey`,
    `${ctx.actor.label} invited you to join ${ctx.org.name} as ${invitation.role}.\n\nAccept: ${link}\n\nThe link is valid for 7 days.`,
  );
  revalidatePath(`/orgs/${ctx.org.slug}/settings/members`);
  return { link, email: invitation.email, emailed };
});

export const revokeInvitationAction = orgAction(async (ctx, input) => {
  await revokeInvitation(ctx, input);
  revalidatePath(`/orgs/${ctx.org.slug}/settings/members`);
});

export const changeRoleAction = orgAction(async (ctx, input) => {
  await changeMemberRole(ctx, input);
  revalidatePath(`/orgs/${ctx.org.slug}/settings/members`);
});

export const removeMemberAction = orgAction(async (ctx, input) => {
  await removeMember(ctx, input);
  revalidatePath(`/orgs/${ctx.org.slug}/settings/members`);
});

export const leaveOrganizationAction = orgAction(async (ctx) => {
  await leaveOrganization(ctx);
  revalidatePath("/", "layout");
  redirect("/");
});
