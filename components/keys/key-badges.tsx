import { Badge, type BadgeTone } from "@/components/ui/badge";
import { ENV_LABELS, type KeyEnvironment, type KeyStatus } from "@/lib/keys/key-names";

const STATUS: Record<KeyStatus, { label: string; tone: BadgeTone }> = {
  active: { label: "Active", tone: "green" },
  suspended: { label: "Suspended", tone: "amber" },
  revoked: { label: "Revoked", tone: "red" },
  expired: { label: "Expired", tone: "neutral" },
  owner_inactive: { label: "Owner inactive", tone: "red" },
};

export function KeyStatusBadge({ status }: { status: KeyStatus }) {
  return <Badge tone={STATUS[status].tone}>{STATUS[status].label}</Badge>;
}

const ENV_TONE: Record<KeyEnvironment, BadgeTone> = { production: "indigo", staging: "amber", development: "neutral" };

export function EnvironmentBadge({ environment }: { environment: KeyEnvironment }) {
  return <Badge tone={ENV_TONE[environment]}>{ENV_LABELS[environment]}</Badge>;
}
