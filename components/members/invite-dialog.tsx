"use client";
import * as React from "react";
import { UserPlus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { inviteMemberAction } from "@/app/_actions/organizations";
import { ROLE_LABELS } from "@/lib/orgs/roles";
import type { Role } from "@/lib/orgs/role-names";

export function InviteDialog({ slug, roles }: { slug: string; roles: readonly Role[] }) {
  const [open, setOpen] = React.useState(false);
  const [sent, setSent] = React.useState<{ link: string; email: string; emailed: boolean } | null>(null);
  const invite = useAction(inviteMemberAction);
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) {
          setSent(null);
          invite.reset();
        }
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <UserPlus className="size-4" aria-hidden /> Invite member
        </Button>
      </DialogTrigger>
      <DialogContent title={sent ? "Invitation created" : "Invite a member"} description={sent ? undefined : "They get a link valid for 7 days."}>
        {sent ? (
          <div className="space-y-4">
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {sent.emailed ? `We emailed the link to ${sent.email}. You can also share it yourself:` : `Send this link to ${sent.email}. It is shown only now.`}
            </p>
            <div className="flex items-center gap-2">
              <Input readOnly value={sent.link} aria-label="Invitation link" className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
              <CopyButton value={sent.link} />
            </div>
            <DialogFooter>
              <DialogClose asChild>
                <Button variant="secondary">Done</Button>
              </DialogClose>
            </DialogFooter>
          </div>
        ) : (
          <form
            className="space-y-4"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void invite.run([slug, Object.fromEntries(new FormData(e.currentTarget))], { onSuccess: setSent });
            }}
          >
            <Field label="Email" htmlFor="invite-email" errors={invite.fieldErrors.email}>
              <Input id="invite-email" name="email" type="email" required autoFocus aria-invalid={!!invite.fieldErrors.email} />
            </Field>
            <Field label="Role" htmlFor="invite-role" errors={invite.fieldErrors.role}>
              <Select id="invite-role" name="role" defaultValue="member">
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]}
                  </option>
                ))}
              </Select>
            </Field>
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="secondary">
                  Cancel
                </Button>
              </DialogClose>
              <Button type="submit" pending={invite.pending}>
                Create invitation
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
