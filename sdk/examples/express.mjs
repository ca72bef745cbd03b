// An Express API protected by Latchkey. Start (from the repository root):
//   npm run build -w @latchkey/sdk && LATCHKEY_URL=http://localhost:3000 node sdk/examples/express.mjs
// then: curl -H "Authorization: Bearer sk_prod_…" http://localhost:3701/v1/customers
import express from "express";
import { Latchkey } from "@latchkey/sdk";
import { protect } from "@latchkey/sdk/express";

const latchkey = new Latchkey({ baseUrl: process.env.LATCHKEY_URL ?? "http://localhost:3000", rootKey: process.env.LATCHKEY_ROOT_KEY });
const app = express();

app.get("/v1/customers", protect({ latchkey, permissions: ["keys:read"] }), (req, res) => {
  res.json({ customers: [], calledBy: req.latchkey.keyId ?? null });
});

const port = Number(process.env.PORT ?? 3701);
app.listen(port, () => console.log(`Protected API on http://localhost:${port}/v1/customers`));
