import { healthHttpStatus, healthReport } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const report = await healthReport();
  return Response.json(report, { status: healthHttpStatus(report), headers: { "Cache-Control": "no-store" } });
}
