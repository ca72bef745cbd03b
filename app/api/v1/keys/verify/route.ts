// Door 1 of POST /api/v1/keys/verify: Next's route handler over the framework-free core.
import { CLIENT_IP_HEADER } from "@/lib/client-ip";
import { MAX_VERIFY_BODY_BYTES, parseVerifyBody } from "@/lib/verify/request";
import { verifyKey } from "@/lib/verify/verify";
import { problem } from "@/lib/verify/problem";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  try {
    const text = await req.text();
    if (Buffer.byteLength(text) > MAX_VERIFY_BODY_BYTES) {
      return problem({ status: 400, title: "Request too large", detail: `The body must be at most ${MAX_VERIFY_BODY_BYTES} bytes.` });
    }
    const parsed = parseVerifyBody(text, req.headers.get("content-type"));
    if (!parsed.ok) return problem(parsed.problem);
    const out = await verifyKey({ request: parsed.value, clientIp: req.headers.get(CLIENT_IP_HEADER), authorization: req.headers.get("authorization") });
    return Response.json(out.body, { status: out.status, headers: { "Cache-Control": "no-store", ...out.headers } });
  } catch (e) {
    console.error("[verify] unexpected error", e);
    return problem({ status: 503, title: "Verification unavailable", detail: "Latchkey could not verify the key right now. Retry shortly." });
  }
}
