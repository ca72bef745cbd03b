// A Next.js route handler protected by Latchkey (LATCHKEY_URL, optional LATCHKEY_ROOT_KEY). Start (from the repository root):
//   npm run build -w @latchkey/sdk && LATCHKEY_URL=http://localhost:3000 npx next dev sdk/examples/next -p 3702
// then: curl -H "Authorization: Bearer sk_prod_…" http://localhost:3702/api/customers
import { withLatchkey } from "@latchkey/sdk/next";

export const GET = withLatchkey(
  async (req) => Response.json({ customers: [], calledBy: req.latchkey.keyId ?? null }),
  { permissions: ["keys:read"] },
);
