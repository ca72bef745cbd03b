"use server";
import { redirect } from "next/navigation";
import { userAction } from "@/app/_lib/action";
import { acceptInvitation } from "@/lib/orgs/invitations";

export const acceptInvitationAction = userAction(async ({ user, actor }, input) => {
  const { slug } = await acceptInvitation(user, String((input as { token?: unknown })?.token ?? ""), actor.ip);
  redirect(`/orgs/${slug}/settings`);
});
