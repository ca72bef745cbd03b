"use client";
import { useRouter } from "next/navigation";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { useAction } from "@/components/ui/use-action";
import { absoluteTime } from "@/lib/format";
import type { KeyPermissionUsage } from "@/lib/keys/permission-usage";
import { removeUnusedPermissionsAction } from "@/app/_actions/keys";

const nf = new Intl.NumberFormat("en-US");

/** "Permissions used in the last 30 days": each granted permission, and removing the unused ones. */
export function PermissionUsage({ orgSlug, keyId, keyName, usage: data, canManage }: { orgSlug: string; keyId: string; keyName: string; usage: KeyPermissionUsage; canManage: boolean }) {
  const router = useRouter();
  const remove = useAction(removeUnusedPermissionsAction);
  const usage = data.permissions;
  const unused = usage.filter((u) => u.verifications === 0).map((u) => u.permission);
  const partial = data.daysCounted < 30;
  const counted = partial ? ` Counted since ${absoluteTime(data.countedSince)} (${data.daysCounted} day${data.daysCounted === 1 ? "" : "s"} so far).` : "";
  return (
    <Card id="permission-usage">
      <CardHeader
        title="Permissions used in the last 30 days"
        description={`How many verifications named each permission this key holds. A permission nobody asked for is one a leaked key could misuse.${counted}`}
        actions={
          canManage && unused.length > 0 ? (
            <ConfirmButton
              variant="secondary"
              title={`Remove ${unused.length} unused permission${unused.length === 1 ? "" : "s"}?`}
              description={
                <>
                  “{keyName}” will lose <strong>{unused.join(", ")}</strong>. Verifications that ask for {unused.length === 1 ? "it" : "them"} will answer
                  INSUFFICIENT_PERMISSIONS at once. A permission used since this page was loaded is kept. The change is recorded in the audit log.
                  {partial && (
                    <span className="mt-2 block font-medium text-amber-700 dark:text-amber-400">
                      Only {data.daysCounted} day{data.daysCounted === 1 ? "" : "s"} of use have been counted for this key: a job that runs less often may not have shown up yet.
                    </span>
                  )}
                </>
              }
              confirmLabel="Remove"
              onConfirm={async () => {
                const r = await remove.run([orgSlug, { keyId, permissions: unused }], {
                  success: (d) => (d.removed.length ? `Removed ${d.removed.join(", ")}` : "Nothing to remove: those permissions were used meanwhile"),
                });
                if (r?.ok) router.refresh();
                return r?.ok ?? false;
              }}
            >
              Remove unused permissions
            </ConfirmButton>
          ) : null
        }
      />
      {usage.length === 0 ? (
        <p className="px-5 py-6 text-sm text-zinc-500 dark:text-zinc-400">This key holds no permissions.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" aria-label="Permissions used in the last 30 days">
            <thead className="text-left text-xs text-zinc-500 uppercase dark:text-zinc-400">
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th scope="col" className="px-5 py-2 font-medium">Permission</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Verifications</th>
                <th scope="col" className="px-5 py-2 font-medium">Last used</th>
              </tr>
            </thead>
            <tbody>
              {usage.map((u) => (
                <tr key={u.permission} data-testid={`permission-usage-${u.permission}`} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800/60">
                  <td className="px-5 py-2 font-mono text-xs">{u.permission}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{nf.format(u.verifications)}</td>
                  <td className="px-5 py-2 whitespace-nowrap text-zinc-600 dark:text-zinc-400">{u.lastUsedAt ? absoluteTime(u.lastUsedAt) : <Badge tone="amber">Unused</Badge>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
