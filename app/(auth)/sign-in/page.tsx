import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth/auth-form";
import { currentUser, oauthProviders } from "@/app/_lib/auth";
import { safeCallbackUrl } from "@/lib/auth/redirect";

export const metadata = { title: "Sign in" };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const email = typeof params.email === "string" ? params.email : undefined;
  const notice =
    params.error === "TwoFactorPasswordOnly"
      ? "This account uses two-factor authentication: sign in with your email, password and code."
      : undefined;
  return <AuthForm mode="sign-in" callbackUrl={callbackUrl} oauth={oauthProviders} defaultEmail={email} notice={notice} />;
}
