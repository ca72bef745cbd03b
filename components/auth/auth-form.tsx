"use client";
import * as React from "react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";
import { Card } from "@/components/ui/card";
import { useAction } from "@/components/ui/use-action";
import { oauthSignInAction, passkeySignInOptionsAction, signInAction, signUpAction } from "@/app/_actions/auth";

export function AuthForm({
  mode,
  callbackUrl,
  oauth,
  defaultEmail,
  notice,
}: {
  mode: "sign-in" | "sign-up";
  callbackUrl: string;
  oauth: { github: boolean; google: boolean };
  defaultEmail?: string;
  /** A message from a redirect (an OAuth sign-in that needs the password and code instead). */
  notice?: string;
}) {
  const action = mode === "sign-in" ? signInAction : signUpAction;
  const { run, pending, fieldErrors, error, reset } = useAction(action);
  // Two-factor accounts: after the right password the server asks for a code; the email and
  // password are kept here and sent again with it.
  const [secondStep, setSecondStep] = React.useState<{ email: string; password: string } | null>(null);
  const [passkeyError, setPasskeyError] = React.useState<string | null>(null);
  const [passkeyPending, setPasskeyPending] = React.useState(false);

  async function signInWithPasskey(step: { email: string; password: string }) {
    setPasskeyError(null);
    setPasskeyPending(true);
    try {
      const options = await passkeySignInOptionsAction();
      if (!options.ok) return setPasskeyError(options.error);
      const { startAuthentication } = await import("@simplewebauthn/browser");
      const assertion = await startAuthentication(options.data.options);
      await run([{ ...step, passkey: JSON.stringify(assertion), challengeId: options.data.challengeId, callbackUrl }]);
    } catch {
      setPasskeyError("The passkey was not used. Try again, or enter a code.");
    } finally {
      setPasskeyPending(false);
    }
  }
  const other = mode === "sign-in" ? "/sign-up" : "/sign-in";
  const otherHref = callbackUrl !== "/" ? `${other}?callbackUrl=${encodeURIComponent(callbackUrl)}` : other;

  return (
    <Card className="p-6">
      <h1 className="text-xl font-semibold">{secondStep ? "Two-factor authentication" : mode === "sign-in" ? "Sign in to Latchkey" : "Create your account"}</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        {secondStep
          ? `Signing in as ${secondStep.email}.`
          : mode === "sign-in"
            ? "Manage your organizations' API keys."
            : "You get a personal organization to start with."}
      </p>
      {notice && !secondStep && (
        <div className="mt-4">
          <FormError message={notice} />
        </div>
      )}
      {secondStep ? (
        <form
          className="mt-6 space-y-4"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const code = String(new FormData(e.currentTarget).get("code") ?? "");
            void run([{ ...secondStep, code, callbackUrl }]);
          }}
        >
          <Field
            label="Authentication code"
            htmlFor="code"
            errors={fieldErrors.code}
            hint="The 6-digit code from your authenticator app, or one of your backup codes."
          >
            <Input id="code" name="code" autoComplete="one-time-code" autoFocus required spellCheck={false} aria-invalid={!!fieldErrors.code} />
          </Field>
          {!Object.keys(fieldErrors).length && <FormError message={error} />}
          <Button type="submit" className="w-full" pending={pending && !passkeyPending}>
            Verify
          </Button>
          <Button type="button" variant="secondary" className="w-full" pending={passkeyPending} onClick={() => void signInWithPasskey(secondStep)}>
            Use a passkey
          </Button>
          <FormError message={passkeyError} />
          <button
            type="button"
            className="w-full text-center text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400"
            onClick={() => {
              reset();
              setSecondStep(null);
            }}
          >
            Use a different account
          </button>
        </form>
      ) : (
      <form
        className="mt-6 space-y-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const fields = { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
          void run([{ ...Object.fromEntries(form), callbackUrl }]).then((r) => {
            if (r && !r.ok && r.fieldErrors?.code) {
              reset();
              setSecondStep(fields);
            }
          });
        }}
      >
        {mode === "sign-up" && (
          <Field label="Name" htmlFor="name" errors={fieldErrors.name}>
            <Input id="name" name="name" autoComplete="name" required aria-invalid={!!fieldErrors.name} />
          </Field>
        )}
        <Field label="Email" htmlFor="email" errors={fieldErrors.email}>
          <Input id="email" name="email" type="email" autoComplete="email" required defaultValue={defaultEmail} aria-invalid={!!fieldErrors.email} />
        </Field>
        <Field
          label="Password"
          htmlFor="password"
          errors={fieldErrors.password}
          hint={mode === "sign-up" ? "At least 8 characters." : undefined}
        >
          <Input
            id="password"
            name="password"
            type="password"
            autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
            required
            aria-invalid={!!fieldErrors.password}
          />
        </Field>
        {!Object.keys(fieldErrors).length && <FormError message={error} />}
        <Button type="submit" className="w-full" pending={pending}>
          {mode === "sign-in" ? "Sign in" : "Create account"}
        </Button>
      </form>
      )}
      {(oauth.github || oauth.google) && (
        <div className="mt-6 space-y-2 border-t border-zinc-200 pt-6 dark:border-zinc-800">
          {oauth.github && (
            <Button variant="secondary" className="w-full" onClick={() => oauthSignInAction("github", callbackUrl)}>
              Continue with GitHub
            </Button>
          )}
          {oauth.google && (
            <Button variant="secondary" className="w-full" onClick={() => oauthSignInAction("google", callbackUrl)}>
              Continue with Google
            </Button>
          )}
        </div>
      )}
      <p className="mt-6 text-center text-sm text-zinc-600 dark:text-zinc-400">
        {mode === "sign-in" ? "New to Latchkey? " : "Already have an account? "}
        <Link href={otherHref} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          {mode === "sign-in" ? "Create an account" : "Sign in"}
        </Link>
      </p>
    </Card>
  );
}
