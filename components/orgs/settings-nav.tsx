"use client";
import { BarChart3, Building2, KeyRound, ListChecks, ScrollText, Settings, ShieldCheck, Users } from "lucide-react";
import { SideNav } from "@/components/ui/side-nav";

export function SettingsNav({ slug }: { slug: string }) {
  const base = `/orgs/${slug}/settings`;
  return (
    <SideNav
      label="Organization settings"
      items={[
        { href: base, label: "General", icon: Settings, exact: true },
        { href: `${base}/api-keys`, label: "API keys", icon: KeyRound },
        { href: `${base}/customers`, label: "Customers", icon: Building2 },
        { href: `${base}/analytics`, label: "Analytics", icon: BarChart3 },
        { href: `${base}/permissions`, label: "Permissions", icon: ListChecks },
        { href: `${base}/key-policy`, label: "Key policy", icon: ShieldCheck },
        { href: `${base}/members`, label: "Members", icon: Users },
        { href: `${base}/audit-log`, label: "Audit log", icon: ScrollText },
      ]}
    />
  );
}
