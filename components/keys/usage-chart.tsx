"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const COLORS: Record<string, string> = {
  VALID: "#10b981",
  RATE_LIMITED: "#f59e0b",
  INSUFFICIENT_PERMISSIONS: "#f97316",
  RULE_DENIED: "#fb7185",
  IP_NOT_ALLOWED: "#ec4899",
  ENVIRONMENT_MISMATCH: "#a855f7",
  OWNER_INACTIVE: "#6366f1",
  SUSPENDED: "#eab308",
  EXPIRED: "#71717a",
  REVOKED: "#ef4444",
};

/** Verifications per time bucket (an hour unless `label` says otherwise), stacked by outcome. `points` are dense buckets. */
export function UsageChart({ points, codes, label = "Verifications per hour by outcome" }: { points: Record<string, number | string>[]; codes: string[]; label?: string }) {
  return (
    <div className="h-64 w-full" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.1} vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11, fill: "currentColor" }} tickLine={false} minTickGap={24} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "currentColor" }} tickLine={false} axisLine={false} />
          <Tooltip contentStyle={{ fontSize: 12, borderRadius: 6 }} cursor={{ fillOpacity: 0.08 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {codes.map((c) => (
            <Bar key={c} dataKey={c} stackId="a" fill={COLORS[c] ?? "#94a3b8"} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
