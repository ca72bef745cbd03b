// Owns the zod schemas for key input: the same ones validate the forms, the actions and the REST API.
import { z } from "zod";
import { KEY_ENVIRONMENTS, KEY_TYPES } from "./key-names";
import { GRACE_PERIODS } from "./grace";

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .nullish()
    .transform((v) => (v ? v : null));

export const keyNameSchema = z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(100, "Name must be at most 100 characters");

export const metadataSchema = z
  .union([z.string(), z.record(z.string(), z.unknown()), z.null()])
  .optional()
  .transform((v, ctx) => {
    if (v === null || v === undefined || (typeof v === "string" && v.trim() === "")) return {};
    let obj: unknown = v;
    if (typeof v === "string") {
      try {
        obj = JSON.parse(v);
      } catch {
        ctx.addIssue({ code: "custom", message: "Metadata must be valid JSON" });
        return z.NEVER;
      }
    }
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
      ctx.addIssue({ code: "custom", message: "Metadata must be a JSON object" });
      return z.NEVER;
    }
    if (Buffer.byteLength(JSON.stringify(obj)) > 4096) {
      ctx.addIssue({ code: "custom", message: "Metadata must be at most 4 KiB" });
      return z.NEVER;
    }
    return obj as Record<string, unknown>;
  });

const expiresSchema = z
  .union([z.string(), z.date(), z.null()])
  .optional()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v === "") return null;
    const d = v instanceof Date ? v : new Date(v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "Enter a valid date and time" });
      return z.NEVER;
    }
    return d;
  });

const rateLimitSchema = z
  .object({
    limit: z.coerce.number({ error: "Enter a number of requests" }).int("Use a whole number").min(1, "At least 1 request").max(1_000_000_000),
    windowSeconds: z.coerce
      .number({ error: "Enter a window in seconds" })
      .int("Use whole seconds")
      .min(1, "The window must be at least 1 second")
      .max(86_400, "The window must be at most 1 day"),
  })
  .nullish()
  .transform((v) => v ?? null);

const permissionsSchema = z.array(z.string().trim().min(1).max(100)).max(200, "At most 200 permissions").default([]);

/** Mutable settings shared by create and update. */
const keySettings = {
  name: keyNameSchema,
  description: optionalText(500, "Description"),
  ownerId: z.string().trim().min(1).nullish().describe("The owning member's user id (default: the creator). Only owners and admins may choose another owner."),
  permissions: permissionsSchema.describe("Permissions from the organization's catalog; capped by the owner's role. Public keys: only `*:read` / `*:public`."),
  rules: optionalText(10_000, "Rules").describe("One rule per line, first match wins: `allow|deny [METHOD[,METHOD]|*] /path/*`."),
  ipAllowlist: z.union([z.string(), z.array(z.string())]).nullish().describe("Addresses or CIDR ranges (IPv4/IPv6), as an array or one per line. Empty: any address."),
  rateLimit: rateLimitSchema.describe("Requests per window, counted per key; null for no limit."),
  expiresAt: expiresSchema.describe("ISO 8601 date-time, or null for no expiry (the organization's key policy may require one)."),
  metadata: metadataSchema.describe("A JSON object (up to 4 KiB) returned by verification."),
  externalId: optionalText(255, "External ID").describe("Your own identifier for the key's user or customer."),
};

export const createKeySchema = z.object({
  ...keySettings,
  type: z.enum(KEY_TYPES, { error: "Choose secret or public" }).default("secret"),
  environment: z.enum(KEY_ENVIRONMENTS, { error: "Choose production, staging or development" }).default("production"),
});
export type CreateKeyInput = z.input<typeof createKeySchema>;

export const updateKeySchema = z.object({ keyId: z.string().min(1), ...keySettings });
export type UpdateKeyInput = z.input<typeof updateKeySchema>;

export const keyIdSchema = z.object({ keyId: z.string().min(1, "Key is required") });
export const keyIdsSchema = z.object({ keyIds: z.array(z.string().min(1)).min(1, "Select at least one key").max(500, "At most 500 keys at once") });

export const rollKeySchema = z.object({
  keyId: z.string().min(1),
  grace: z.enum(GRACE_PERIODS, { error: "Choose a grace period" }).optional().describe("How long the previous token keeps verifying (default: the organization's). Never past the key's expiry."),
  /** Required when rolling an expired key: the renewed key's expiry (the policy applies). */
  expiresAt: expiresSchema,
});
