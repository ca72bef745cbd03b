// Owns the zod schemas for key input: the same ones validate the forms, the actions and the REST API.
import { z } from "zod";
import { id, jsonObject, optionalText, text } from "../primitives";
import { KEY_ENVIRONMENTS, KEY_TYPES } from "./key-names";
import { GRACE_PERIODS } from "./grace";
import { creditsSchema } from "../credits/credits";
import { namedLimitsSchema, singleLimitSchema } from "../limits/named-limits";

export const keyNameSchema = text({ label: "Name", min: 1, max: 100, required: "Name is required" });

export const metadataSchema = jsonObject({ label: "Metadata", maxBytes: 4096 });

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
    if (d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 9999) {
      ctx.addIssue({ code: "custom", message: "Enter a date between the years 1970 and 9999" });
      return z.NEVER;
    }
    return d;
  });

// `rateLimit` is the shorthand for the limit named "default" (absent: unchanged on PATCH).
const rateLimitSchema = singleLimitSchema.nullable().optional();

const permissionsSchema = z.array(text({ label: "A permission", min: 1, max: 100 })).max(200, "At most 200 permissions").default([]);

/** Mutable settings shared by create and update. */
const keySettings = {
  name: keyNameSchema,
  description: optionalText({ label: "Description", max: 500, multiline: true }),
  ownerId: id("user").nullish().describe("The owning member's user id (default: the creator). Only owners and admins may choose another owner."),
  permissions: permissionsSchema.describe("Permissions from the organization's catalog; capped by the owner's role. Public keys: only `*:read` / `*:public`."),
  rules: optionalText({ label: "Rules", max: 10_000, multiline: true }).describe("One rule per line, first match wins: `allow|deny [METHOD[,METHOD]|*] /path/*`."),
  ipAllowlist: z.union([text({ label: "IP allowlist", max: 20_000, multiline: true }), z.array(text({ label: "An IP allowlist entry", max: 100 })).max(1000, "At most 1000 entries")]).nullish().describe("Addresses or CIDR ranges (IPv4/IPv6), as an array or one per line. Empty: any address."),
  rateLimit: rateLimitSchema.describe("Shorthand for the limit named `default`: requests per window, counted per key; null removes it. Send either this or `ratelimits`."),
  ratelimits: namedLimitsSchema.optional(),
  expiresAt: expiresSchema.describe("ISO 8601 date-time, or null for no expiry (the organization's key policy may require one)."),
  metadata: metadataSchema.describe("A JSON object (up to 4 KiB) returned by verification."),
  externalId: optionalText({ label: "External ID", max: 255 }).describe("Your own identifier for the key's user or customer."),
  credits: creditsSchema,
  customerId: id("cus").nullish().describe("The customer (`cus_…`) the key is scoped to; verification answers carry it. Null: none."),
};

export const createKeySchema = z.object({
  ...keySettings,
  type: z.enum(KEY_TYPES, { error: "Choose secret or public" }).default("secret"),
  environment: z.enum(KEY_ENVIRONMENTS, { error: "Choose production, staging or development" }).default("production"),
});
export type CreateKeyInput = z.input<typeof createKeySchema>;

export const updateKeySchema = z.object({ keyId: id("key"), ...keySettings });
export type UpdateKeyInput = z.input<typeof updateKeySchema>;

export const keyIdSchema = z.object({ keyId: id("key") });
export const keyIdsSchema = z.object({ keyIds: z.array(id("key")).min(1, "Select at least one key").max(500, "At most 500 keys at once") });

/** The settings PATCH may change (type and environment are fixed at creation). */
export const EDITABLE_KEY_FIELDS = Object.keys(keySettings);

export const rollKeySchema = z.object({
  keyId: id("key"),
  grace: z.enum(GRACE_PERIODS, { error: "Choose a grace period" }).optional().describe("How long the previous token keeps verifying (default: the organization's). Never past the key's expiry."),
  /** Required when rolling an expired key: the renewed key's expiry (the policy applies). */
  expiresAt: expiresSchema,
});
