"use server";
import { revalidatePath } from "next/cache";
import { userAction } from "@/app/_lib/action";
import { signOut } from "@/app/_lib/auth";
import { changePassword, deleteAccount, signOutEverywhere, updateProfile } from "@/lib/auth/profile";

export const updateProfileAction = userAction(async ({ user }, input) => {
  await updateProfile(user, input);
  revalidatePath("/", "layout");
});

export const changePasswordAction = userAction(async ({ user }, input) => {
  await changePassword(user, input);
});

export const signOutEverywhereAction = userAction(async ({ user }) => {
  await signOutEverywhere(user);
  await signOut({ redirectTo: "/sign-in" });
});

export const deleteAccountAction = userAction(async ({ user, actor }, input) => {
  await deleteAccount(user, input, actor.ip);
  await signOut({ redirectTo: "/sign-up" });
});
