import Link from "next/link";
import { KeyRound } from "lucide-react";
import { currentUser } from "@/app/_lib/auth";
import { Card } from "@/components/ui/card";
import { AcceptInvitation } from "@/components/members/accept-invitation";
import { getInvitationByToken, type InvitationView } from "@/lib/orgs/invitations";
import { NotFoundError } from "@/lib/errors";
import { ROLE_LABELS } from "@/lib/orgs/roles";

export const metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let view: InvitationView | null = null;
  try {
    view = await getInvitationByToken(token);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  const user = await currentUser();
  const here = `/invite/${token}`;
  const link = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";

  let body: React.ReactNode;
  if (!view) {
    body = <p className="text-sm text-zinc-600 dark:text-zinc-400">This invitation link is not valid. Ask for a new one.</p>;
  } else if (view.state !== "pending") {
    const why = { expired: "has expired", revoked: "was revoked", accepted: "has already been used" }[view.state];
    body = <p className="text-sm text-zinc-600 dark:text-zinc-400">This invitation to {view.organization.name} {why}. Ask an admin for a new one.</p>;
  } else {
    const inv = view.invitation;
    body = (
      <div className="space-y-4">
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          You are invited to join <strong>{view.organization.name}</strong> as <strong>{ROLE_LABELS[inv.role]}</strong>. The invitation is for{" "}
          <strong>{inv.email}</strong>.
        </p>
        {user ? (
          user.email?.toLowerCase() === inv.email ? (
            <AcceptInvitation token={token} orgName={view.organization.name} />
          ) : (
            <p className="text-sm text-amber-700 dark:text-amber-400">
              You are signed in as {user.email}. Sign out and sign in as {inv.email} to accept.
            </p>
          )
        ) : (
          <div className="flex flex-wrap gap-3 text-sm">
            <Link className={link} href={`/sign-up?callbackUrl=${encodeURIComponent(here)}&email=${encodeURIComponent(inv.email)}`}>
              Create an account
            </Link>
            <span className="text-zinc-500 dark:text-zinc-400">or</span>
            <Link className={link} href={`/sign-in?callbackUrl=${encodeURIComponent(here)}&email=${encodeURIComponent(inv.email)}`}>
              Sign in
            </Link>
            <span className="text-zinc-500 dark:text-zinc-400">to accept.</span>
          </div>
        )}
      </div>
    );
  }
  return (
    <main className="flex min-h-screen items-start justify-center px-4 pt-16">
      <div className="w-full max-w-md">
        <div className="mb-8 flex items-center justify-center gap-2 text-lg font-semibold">
          <KeyRound className="size-6 text-indigo-600 dark:text-indigo-400" aria-hidden /> Latchkey
        </div>
        <Card className="p-6">
          <h1 className="mb-3 text-xl font-semibold">Invitation</h1>
          {body}
        </Card>
      </div>
    </main>
  );
}
