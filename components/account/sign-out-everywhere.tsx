"use client";
// "Sign out of all sessions", with its confirmation: on the account page and the security page.
import { ConfirmButton } from "@/components/ui/confirm-button";
import { useAction } from "@/components/ui/use-action";
import { signOutEverywhereAction } from "@/app/_actions/account";

export function SignOutEverywhereButton() {
  const everywhere = useAction(signOutEverywhereAction);
  return (
    <ConfirmButton
      variant="secondary"
      title="Sign out of all sessions?"
      description="Every browser and device signed in to your account is signed out, including this one."
      confirmLabel="Sign out everywhere"
      onConfirm={async () => {
        await everywhere.run([{}]);
      }}
    >
      Sign out of all sessions
    </ConfirmButton>
  );
}
