import { orgPageContext } from "@/app/_lib/org-page";
import { parsePageQuery, type RawSearchParams } from "@/lib/ops/operation";
import { PageHeader } from "@/components/ui/card";
import { AnalyticsDashboard } from "@/components/analytics/analytics-dashboard";
import { analyticsCustomerOptions, analyticsKeyOptions, analyticsPageQuerySchema, orgAnalytics } from "@/lib/analytics/verifications";

export const metadata = { title: "Analytics" };

export default async function AnalyticsPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<RawSearchParams> }) {
  const { slug } = await params;
  const ctx = await orgPageContext(slug);
  const sp = await searchParams;
  // An empty filter (`key=`) means no filter.
  const query = parsePageQuery(analyticsPageQuerySchema, Object.fromEntries(Object.entries(sp).filter(([, v]) => v !== "")));
  const [data, keyOptions, customerOptions] = await Promise.all([orgAnalytics(ctx, query), analyticsKeyOptions(ctx, query.key), analyticsCustomerOptions(ctx, query.customer)]);
  return (
    <>
      <PageHeader title="Analytics" description={`How ${ctx.org.name}'s keys are verified: volume, outcomes and the keys behind them.`} />
      <AnalyticsDashboard base={`/orgs/${ctx.org.slug}/settings/analytics`} query={query} data={data} keyOptions={keyOptions} customerOptions={customerOptions} />
    </>
  );
}
