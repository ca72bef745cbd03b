import { requireUser } from "@/app/_lib/auth";
import { PageHeader } from "@/components/ui/card";
import { AccountSettings } from "@/components/account/account-settings";
import { accountDeletionPreview } from "@/lib/auth/profile";

export const metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await requireUser("/account");
  const preview = await accountDeletionPreview(user);
  return (
    <>
      <PageHeader title="Profile" description={user.email ?? undefined} />
      <AccountSettings name={user.name ?? ""} email={user.email ?? ""} hasPassword={Boolean(user.passwordHash)} preview={preview} />
    </>
  );
}
