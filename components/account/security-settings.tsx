"use client";
import * as React from "react";
import { useRouter } from "next/navigation";
import { AlertTriangle, ShieldCheck } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { SignOutEverywhereButton } from "./sign-out-everywhere";
import {
  addPasskeyAction,
  passkeyRegistrationOptionsAction,
  removePasskeyAction,
  beginTotpSetupAction,
  confirmTotpSetupAction,
  disableTwoFactorAction,
  endSessionAction,
  regenerateBackupCodesAction,
} from "@/app/_actions/security";
import { relativeTime } from "@/lib/format";
import type { TwoFactorStatus } from "@/lib/auth/two-factor";
import type { SessionView } from "@/lib/auth/sessions";
import type { PasskeyView } from "@/lib/auth/passkeys";

/** Backup codes, shown once: copy them all or keep them on paper. */
function BackupCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <div className="space-y-4">
      <p className="flex gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
        <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
        Save these backup codes somewhere safe. Each works once, if you lose your authenticator. They will not be shown again.
      </p>
      <ul data-testid="backup-codes" className="grid grid-cols-2 gap-2 rounded-md bg-zinc-50 p-4 font-mono text-sm sm:grid-cols-5 dark:bg-zinc-950">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div className="flex flex-wrap justify-end gap-2">
        <CopyButton value={codes.join("\n")} label="Copy codes" />
        <Button onClick={onDone}>I have saved them</Button>
      </div>
    </div>
  );
}

/** A dialog asking for the password or a current code before a change to two-factor. */
function CredentialDialog({
  title,
  description,
  confirmLabel,
  danger,
  action,
  onSuccess,
  children,
}: {
  title: string;
  description: string;
  confirmLabel: string;
  danger?: boolean;
  action: typeof disableTwoFactorAction | typeof regenerateBackupCodesAction;
  onSuccess: (data: unknown) => void;
  children: React.ReactNode;
}) {
  const [open, setOpen] = React.useState(false);
  const run = useAction(action as (input: unknown) => Promise<{ ok: true; data: unknown } | { ok: false; error: string; fieldErrors?: Record<string, string[]> }>);
  const id = React.useId();
  return (
    <>
      <Button variant={danger ? "danger" : "secondary"} onClick={() => (run.reset(), setOpen(true))}>
        {children}
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent title={title} description={description}>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              const credential = String(new FormData(e.currentTarget).get("credential") ?? "");
              void run.run([{ credential }], {
                onSuccess: (data) => {
                  setOpen(false);
                  onSuccess(data);
                },
              });
            }}
          >
            <Field label="Password or authentication code" htmlFor={id} errors={run.fieldErrors.credential}>
              <Input id={id} name="credential" type="password" autoComplete="current-password" autoFocus aria-invalid={!!run.fieldErrors.credential} />
            </Field>
            <DialogFooter>
              <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" variant={danger ? "danger" : "primary"} pending={run.pending}>
                {confirmLabel}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </>
  );
}

export function TwoFactorSettings({ status, continueTo }: { status: TwoFactorStatus; continueTo?: { name: string; href: string } }) {
  const router = useRouter();
  const begin = useAction(beginTotpSetupAction);
  const confirm = useAction(confirmTotpSetupAction);
  const [setup, setSetup] = React.useState<{ secret: string; qrDataUrl: string } | null>(null);
  const [codes, setCodes] = React.useState<string[] | null>(null);

  const done = () => {
    setCodes(null);
    if (continueTo) router.push(continueTo.href);
    else router.refresh();
  };

  return (
    <Card>
      <CardHeader
        title="Two-factor authentication"
        description="A code from an authenticator app (1Password, Google Authenticator, Authy…) is asked after your password when you sign in."
        actions={status.enabled ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>}
      />
      <div className="space-y-4 p-5 text-sm">
        {codes ? (
          <BackupCodes codes={codes} onDone={done} />
        ) : status.enabled ? (
          <>
            <p className="flex items-start gap-2">
              <ShieldCheck className="mt-0.5 size-4 shrink-0 text-emerald-600 dark:text-emerald-400" aria-hidden />
              <span>
                On since {status.enabledAt ? new Date(status.enabledAt).toLocaleDateString() : "—"}.{" "}
                <span data-testid="backup-codes-left">
                  {status.backupCodesLeft} backup code{status.backupCodesLeft === 1 ? "" : "s"} left.
                </span>
              </span>
            </p>
            <div className="flex flex-wrap justify-end gap-2">
              <CredentialDialog
                title="New backup codes"
                description="Your current backup codes stop working. Enter your password or a code from your authenticator app."
                confirmLabel="Create new codes"
                action={regenerateBackupCodesAction}
                onSuccess={(d) => setCodes((d as { backupCodes: string[] }).backupCodes)}
              >
                Regenerate backup codes
              </CredentialDialog>
              <CredentialDialog
                title="Turn off two-factor authentication?"
                description="Signing in will ask only for your password, and organizations that require two-factor will send you back here. Enter your password or a current code."
                confirmLabel="Turn off"
                danger
                action={disableTwoFactorAction}
                onSuccess={() => router.refresh()}
              >
                Turn off
              </CredentialDialog>
            </div>
          </>
        ) : setup ? (
          <form
            className="space-y-4"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              const code = String(new FormData(e.currentTarget).get("code") ?? "");
              void confirm.run([{ code }], {
                success: "Two-factor authentication is on",
                onSuccess: (d) => {
                  setSetup(null);
                  setCodes(d.backupCodes);
                },
              });
            }}
          >
            <ol className="list-decimal space-y-4 pl-5">
              <li>
                Scan this QR code with your authenticator app.
                {/* A data: URL: the secret never leaves this page for an image service. */}
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img src={setup.qrDataUrl} alt="QR code for your authenticator app" width={200} height={200} className="mt-3 rounded-md border border-zinc-200 bg-white p-1 dark:border-zinc-700" />
                <p className="mt-3 text-zinc-600 dark:text-zinc-400">Or enter this key by hand:</p>
                <div className="mt-1 flex flex-wrap items-center gap-2">
                  <code data-testid="totp-secret" className="rounded bg-zinc-100 px-2 py-1 font-mono text-xs break-all dark:bg-zinc-800">
                    {setup.secret.replace(/(.{4})/g, "$1 ").trim()}
                  </code>
                  <CopyButton value={setup.secret} label="Copy key" />
                </div>
              </li>
              <li>
                <Field label="Enter the 6-digit code the app shows" htmlFor="totp-code" errors={confirm.fieldErrors.code}>
                  <Input id="totp-code" name="code" inputMode="numeric" autoComplete="one-time-code" className="w-40 font-mono" aria-invalid={!!confirm.fieldErrors.code} />
                </Field>
              </li>
            </ol>
            <div className="flex justify-end gap-2">
              <Button type="button" variant="secondary" onClick={() => setSetup(null)}>
                Cancel
              </Button>
              <Button type="submit" pending={confirm.pending}>
                Turn on
              </Button>
            </div>
          </form>
        ) : (
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p className="text-zinc-600 dark:text-zinc-400">Protect your account with a second step at sign-in.</p>
            <Button pending={begin.pending} onClick={() => void begin.run([{}], { onSuccess: setSetup })}>
              Set up two-factor authentication
            </Button>
          </div>
        )}
      </div>
    </Card>
  );
}

/** "Firefox on Linux" from a user-agent string; good enough to recognise one's own devices. */
function describeAgent(ua: string | null): string {
  if (!ua) return "Unknown browser";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Firefox\//.test(ua)
      ? "Firefox"
      : /Chrome\//.test(ua)
        ? "Chrome"
        : /Safari\//.test(ua)
          ? "Safari"
          : /curl|node|undici|python/i.test(ua)
            ? "Script"
            : "Browser";
  const os = /Windows/.test(ua) ? "Windows" : /iPhone|iPad/.test(ua) ? "iOS" : /Mac OS X/.test(ua) ? "macOS" : /Android/.test(ua) ? "Android" : /Linux/.test(ua) ? "Linux" : null;
  return os ? `${browser} on ${os}` : browser;
}

export function SessionsList({ sessions }: { sessions: SessionView[] }) {
  const end = useAction(endSessionAction);
  return (
    <Card>
      <CardHeader
        title="Active sessions"
        description="Browsers signed in to your account. Signing one out ends it at once."
        actions={
          <SignOutEverywhereButton />
        }
      />
      <ul className="divide-y divide-zinc-200 dark:divide-zinc-800" data-testid="sessions">
        {sessions.map((s) => (
          <li key={s.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3 text-sm" data-testid="session-row">
            <div className="min-w-0">
              <p className="flex flex-wrap items-center gap-2 font-medium">
                {describeAgent(s.userAgent)}
                {s.current && <Badge tone="indigo">This browser</Badge>}
              </p>
              <p className="text-zinc-600 dark:text-zinc-400">
                {s.ip ?? "Unknown address"} · signed in {relativeTime(s.createdAt)} · last seen {relativeTime(s.lastSeenAt)}
              </p>
            </div>
            {!s.current && (
              <ConfirmButton
                variant="secondary"
                size="sm"
                title="Sign out this session?"
                description={`${describeAgent(s.userAgent)} (${s.ip ?? "unknown address"}) is signed out at once.`}
                confirmLabel="Sign out"
                onConfirm={async () => {
                  const r = await end.run([{ id: s.id }], { success: "Session signed out" });
                  return r?.ok ?? true;
                }}
              >
                Sign out
              </ConfirmButton>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** Passkeys as a second factor, added once two-factor is on. */
export function PasskeysSettings({ passkeys, enabled }: { passkeys: PasskeyView[]; enabled: boolean }) {
  const router = useRouter();
  const options = useAction(passkeyRegistrationOptionsAction);
  const add = useAction(addPasskeyAction);
  const remove = useAction(removePasskeyAction);
  const [name, setName] = React.useState("");
  const [error, setError] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState(false);

  async function register() {
    setError(null);
    setBusy(true);
    try {
      const r = await options.run([{}]);
      if (!r?.ok) return;
      const { startRegistration } = await import("@simplewebauthn/browser");
      const response = await startRegistration(r.data.options);
      const added = await add.run([{ challengeId: r.data.challengeId, name: name || "Passkey", response }], { success: "Passkey added" });
      if (added?.ok) {
        setName("");
        router.refresh();
      }
    } catch {
      setError("The passkey was not created (cancelled, or this device cannot make one).");
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card>
      <CardHeader
        title="Passkeys"
        description="Sign in with your device's screen lock or a security key instead of typing a code. They are a second factor beside your authenticator app."
      />
      <div className="space-y-4 p-5 text-sm">
        {!enabled ? (
          <p className="text-zinc-600 dark:text-zinc-400">Turn on two-factor authentication above to add passkeys.</p>
        ) : (
          <>
            {passkeys.length > 0 && (
              <ul className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800" data-testid="passkeys">
                {passkeys.map((p) => (
                  <li key={p.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
                    <div>
                      <p className="font-medium">{p.name}</p>
                      <p className="text-zinc-600 dark:text-zinc-400">
                        Added {relativeTime(p.createdAt)} · {p.lastUsedAt ? `last used ${relativeTime(p.lastUsedAt)}` : "never used"}
                      </p>
                    </div>
                    <ConfirmButton
                      variant="secondary"
                      size="sm"
                      title={`Remove “${p.name}”?`}
                      description="This passkey can no longer be used to sign in."
                      confirmLabel="Remove passkey"
                      onConfirm={async () => {
                        const r = await remove.run([{ id: p.id }], { success: "Passkey removed" });
                        if (r?.ok) router.refresh();
                        return r?.ok ?? true;
                      }}
                    >
                      Remove
                    </ConfirmButton>
                  </li>
                ))}
              </ul>
            )}
            <div className="flex flex-wrap items-end gap-3">
              <Field label="Passkey name" htmlFor="passkey-name" errors={add.fieldErrors.name} className="min-w-[14rem] flex-1">
                <Input id="passkey-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. MacBook Touch ID" maxLength={60} />
              </Field>
              <Button pending={busy} onClick={() => void register()}>
                Add a passkey
              </Button>
            </div>
            {error && <p role="alert" className="text-sm text-red-700 dark:text-red-400">{error}</p>}
          </>
        )}
      </div>
    </Card>
  );
}
