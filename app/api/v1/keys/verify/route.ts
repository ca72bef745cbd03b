// Door 1 of POST /api/v1/keys/verify (works under `next dev` and anywhere Next runs).
// Under `npm start`, server.ts answers this path itself (door 2) with the same core.
import { CLIENT_IP_HEADER } from "@/lib/client-ip";
import { answerVerify } from "@/lib/verify/endpoint";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  const out = await answerVerify({
    body: await req.text(),
    contentType: req.headers.get("content-type"),
    clientIp: req.headers.get(CLIENT_IP_HEADER),
    authorization: req.headers.get("authorization"),
  });
  return new Response(out.body, { status: out.status, headers: out.headers });
}
