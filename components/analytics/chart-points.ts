// Owns turning a usage series into the bar chart's points (shared by the dashboard and the key page).
import type { AnalyticsRange, UsageSeries } from "@/lib/analytics/verifications";

/** One point per bucket, labelled in UTC: "14:00" over 24 hours, "11-20 14:00" over 7 days, "11-20" per day. */
export function chartPoints(a: UsageSeries, range: AnalyticsRange): Record<string, number | string>[] {
  return a.series.map(({ time, counts }) => {
    const t = new Date(time);
    const hh = `${String(t.getUTCHours()).padStart(2, "0")}:00`;
    const label = a.bucket === "day" ? time.slice(5, 10) : range === "24h" ? hh : `${time.slice(5, 10)} ${hh}`;
    return { label, ...counts };
  });
}
