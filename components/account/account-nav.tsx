"use client";
import { KeyRound, ShieldCheck, UserRound } from "lucide-react";
import { SideNav } from "@/components/ui/side-nav";

export function AccountNav() {
  return (
    <SideNav
      label="Account"
      items={[
        { href: "/account", label: "Profile", icon: UserRound, exact: true },
        { href: "/account/security", label: "Security", icon: ShieldCheck },
        { href: "/account/api-keys", label: "My API keys", icon: KeyRound },
      ]}
    />
  );
}
