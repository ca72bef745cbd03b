"use server";
// Server actions of the account security page: two-factor set-up and removal, backup codes,
// sessions, and re-authentication for sensitive actions.
import { revalidatePath } from "next/cache";
import { userAction } from "@/app/_lib/action";
import { beginTotpSetup, confirmTotpSetup, disableTwoFactor, regenerateBackupCodes } from "@/lib/auth/two-factor";
import { endSession, reauthenticate } from "@/lib/auth/sessions";
import { addPasskey, passkeyRegistrationOptions, relyingPartyFor, removePasskey } from "@/lib/auth/passkeys";
import { requestOrigin } from "@/app/_lib/request";

const refresh = () => revalidatePath("/account/security");

/** The new secret goes only to the person setting it up: as a QR code and as text to type. */
export const beginTotpSetupAction = userAction(async ({ user }) => {
  const { secret, qrDataUrl } = await beginTotpSetup(user);
  return { secret, qrDataUrl };
});

export const confirmTotpSetupAction = userAction(async ({ user }, input) => {
  const result = await confirmTotpSetup(user, input);
  refresh();
  return result;
});

export const regenerateBackupCodesAction = userAction(async ({ user }, input) => {
  const result = await regenerateBackupCodes(user, input);
  refresh();
  return result;
});

export const disableTwoFactorAction = userAction(async ({ user }, input) => {
  await disableTwoFactor(user, input);
  refresh();
});

export const endSessionAction = userAction(async ({ user }, input) => {
  await endSession(user.id, (input as { id?: unknown } | null)?.id);
  refresh();
});

export const reauthenticateAction = userAction(async ({ user, session }, input) => {
  await reauthenticate(user, session.id, input);
});

export const passkeyRegistrationOptionsAction = userAction(async ({ user }) => passkeyRegistrationOptions(user, relyingPartyFor(await requestOrigin())));

export const addPasskeyAction = userAction(async ({ user }, input) => {
  const passkey = await addPasskey(user, input, relyingPartyFor(await requestOrigin()));
  refresh();
  return passkey;
});

export const removePasskeyAction = userAction(async ({ user }, input) => {
  await removePasskey(user, (input as { id?: unknown } | null)?.id);
  refresh();
});
