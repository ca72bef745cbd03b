import { expect, test } from "@playwright/test";
import { createKeyInUi, signUp, snap } from "./helpers";

test("a script manages keys with a key: create by API, seen in the UI, audited as the key; the reference documents it", async ({ browser }, info) => {
  const page = await (await browser.newContext()).newPage();
  await signUp(page, "Sam Script", "sam@example.com");

  // The person creates a key for their script, with keys:read and keys:write.
  const token = await createKeyInUi(page, "Deploy script", ["keys:read", "keys:write"]);

  // The script: no key → 401 problem; with the key → creates a key (token once), idempotently.
  const anonymous = await page.request.get("/api/v1/keys");
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()["www-authenticate"]).toMatch(/^Bearer/);
  const auth = { Authorization: `Bearer ${token}` };
  const create = () => page.request.post("/api/v1/keys", { headers: { ...auth, "Idempotency-Key": "deploy-1" }, data: { name: "Made by the script", environment: "staging" } });
  const created = await create();
  expect(created.status()).toBe(201);
  const body = await created.json();
  expect(body.token).toMatch(/^sk_stg_/);
  const replay = await create();
  expect(await replay.json()).toMatchObject({ token: null, tokenShown: true, key: { id: body.key.id } });
  const listed = await (await page.request.get("/api/v1/keys?environment=staging", { headers: auth })).json();
  expect(listed.data.map((k: { name: string }) => k.name)).toEqual(["Made by the script"]);

  // The person sees it in the table, once, and the audit log names the acting key.
  await page.reload();
  await expect(page.getByRole("row", { name: /Made by the script/ })).toHaveCount(1);
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("table").getByText("API key “Deploy script”").first()).toBeVisible();
  await snap(page, info, "api-01-audit-actor");

  // The reference is linked from settings and lists every route and problem type.
  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible();
  // Scalar renders operations as they come into view; its anchor brings one there.
  await expect(page).toHaveURL(/\/docs\/api$/);
  await page.goto("/docs/api#latchkey/tag/keys/POST/api/v1/keys");
  const createOp = page.locator('[id="latchkey/tag/keys/POST/api/v1/keys"]');
  // Under load the lazy placeholder may not have been filled by the time the anchor scrolled: bring it into view again.
  await expect(async () => {
    await createOp.scrollIntoViewIfNeeded();
    await expect(createOp).toContainText("/api/v1/keys", { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await createOp.getByRole("button", { name: /^409/ }).click();
  await expect(createOp).toContainText("idempotency-key-reused");
  await snap(page, info, "api-02-reference");
});
