"use client";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { acceptInvitationAction } from "@/app/_actions/invitations";

export function AcceptInvitation({ token, orgName }: { token: string; orgName: string }) {
  const accept = useAction(acceptInvitationAction);
  return (
    <div className="space-y-3">
      <FormError message={accept.error} />
      <Button pending={accept.pending} onClick={() => void accept.run([{ token }])}>
        Join {orgName}
      </Button>
    </div>
  );
}
