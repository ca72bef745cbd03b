// Owns the database schema: Auth.js tables, organizations, memberships, invitations, audit events.
import {
  pgTable,
  pgEnum,
  text,
  timestamp,
  integer,
  jsonb,
  boolean,
  bigint,
  primaryKey,
  uniqueIndex,
  index,
  date,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import type { AdapterAccountType } from "@auth/core/adapters";
import { ROLES, type Role } from "../orgs/role-names";
import { KEY_ENVIRONMENTS, KEY_TYPES } from "../keys/key-names";
import { GRACE_PERIODS } from "../keys/grace";
import type { RefillInterval } from "../credits/credit-names";
import type { NamedLimit } from "../limits/named-limits";

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

// ---- Auth.js (the column names are the drizzle adapter's contract) ----

export const users = pgTable("user", {
  id: text("id").primaryKey().$defaultFn(() => crypto.randomUUID()),
  name: text("name"),
  email: text("email").unique(),
  emailVerified: timestamp("emailVerified", { mode: "date", withTimezone: true }),
  image: text("image"),
  passwordHash: text("password_hash"),
  /** Bumped by "sign out of all sessions": older session tokens stop being honoured. */
  sessionVersion: integer("session_version").notNull().default(0),
  /** TOTP secret, sealed with AES-256-GCM (lib/auth/sealed.ts); set while two-factor is on. */
  totpSecret: text("totp_secret"),
  /** A secret being set up, not yet confirmed with a code (sealed the same way). */
  totpPendingSecret: text("totp_pending_secret"),
  totpEnabledAt: timestamp("totp_enabled_at", { withTimezone: true, mode: "date" }),
  /** The last TOTP time step accepted: a code is never accepted twice. */
  totpLastStep: bigint("totp_last_step", { mode: "number" }),
  createdAt: createdAt(),
});
export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

export const accounts = pgTable(
  "account",
  {
    userId: text("userId").notNull().references(() => users.id, { onDelete: "cascade" }),
    type: text("type").$type<AdapterAccountType>().notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("providerAccountId").notNull(),
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] })],
);

export const sessions = pgTable("session", {
  sessionToken: text("sessionToken").primaryKey(),
  userId: text("userId").notNull().references(() => users.id, { onDelete: "cascade" }),
  expires: timestamp("expires", { mode: "date", withTimezone: true }).notNull(),
});

export const verificationTokens = pgTable(
  "verificationToken",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: timestamp("expires", { mode: "date", withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

/** One-time backup codes for two-factor sign-in: SHA-256 of the code, consumed once. */
export const backupCodes = pgTable(
  "backup_code",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [index("backup_code_user_idx").on(t.userId), uniqueIndex("backup_code_hash_idx").on(t.userId, t.codeHash)],
);

/** Passkeys (WebAuthn credentials) used as a second factor, beside the authenticator app. */
export const passkeys = pgTable(
  "passkey",
  {
    /** The credential id, base64url. */
    id: text("id").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** COSE public key, base64url. */
    publicKey: text("public_key").notNull(),
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    transports: text("transports").array().notNull().default([]),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [index("passkey_user_idx").on(t.userId)],
);
export type Passkey = typeof passkeys.$inferSelect;

/** One-time WebAuthn challenges (registration: a user's; sign-in: anyone's), valid 5 minutes. */
export const webauthnChallenges = pgTable("webauthn_challenge", {
  id: text("id").primaryKey(),
  userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
  purpose: text("purpose", { enum: ["register", "authenticate"] }).notNull(),
  challenge: text("challenge").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
});

/**
 * A signed-in browser: its id travels in the (JWT) session cookie and is checked on every request,
 * so deleting the row signs that browser out at once.
 */
export const userSessions = pgTable(
  "user_session",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    ip: text("ip"),
    userAgent: text("user_agent"),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    /** When the person last proved who they are in this session (sign-in or re-authentication). */
    authenticatedAt: timestamp("authenticated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [index("user_session_user_idx").on(t.userId)],
);
export type UserSession = typeof userSessions.$inferSelect;

/** Failed sign-in counters, keyed by `email:<address>` or `ip:<address>`. */
export const authThrottle = pgTable("auth_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true, mode: "date" }).notNull(),
  lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }),
});

// ---- Organizations ----

export const roleEnum = pgEnum("role", ROLES);
export type { Role };

export const organizations = pgTable("organization", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  /** The personal organization created at sign-up for this user, if it is one. */
  personalForUserId: text("personal_for_user_id").references(() => users.id, { onDelete: "set null" }),
  // Key policy
  keyRequireExpiry: boolean("key_require_expiry").notNull().default(false),
  keyMaxLifetimeDays: integer("key_max_lifetime_days"),
  keyDefaultGrace: text("key_default_grace", { enum: GRACE_PERIODS }).notNull().default("12h"),
  /** Members must have two-factor authentication to open the organization in the console. */
  requireTwoFactor: boolean("require_two_factor").notNull().default(false),
  /** Recoverable keys: new secret tokens are also kept encrypted (LATCHKEY_ENCRYPTION_KEY) for "Copy key". */
  keyRecoverable: boolean("key_recoverable").notNull().default(false),
  createdAt: createdAt(),
});
export type Organization = typeof organizations.$inferSelect;

export const memberships = pgTable(
  "membership",
  {
    organizationId: text("organization_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.userId] }), index("membership_user_idx").on(t.userId)],
);
export type Membership = typeof memberships.$inferSelect;

export const invitations = pgTable(
  "invitation",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: roleEnum("role").notNull(),
    /** SHA-256 of the link token; the token itself is shown once to the inviter. */
    tokenHash: text("token_hash").notNull(),
    invitedById: text("invited_by_id").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true, mode: "date" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("invitation_token_hash_idx").on(t.tokenHash), index("invitation_org_idx").on(t.organizationId)],
);
export type Invitation = typeof invitations.$inferSelect;

// ---- Audit ----

export const auditEvents = pgTable(
  "audit_event",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    actorUserId: text("actor_user_id"),
    actorKeyId: text("actor_key_id"),
    /** Display name of the actor at the time, kept even if the user is later deleted. */
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    targetLabel: text("target_label"),
    ip: text("ip"),
    before: jsonb("before").$type<Record<string, unknown> | null>(),
    after: jsonb("after").$type<Record<string, unknown> | null>(),
    createdAt: createdAt(),
  },
  (t) => [index("audit_org_time_idx").on(t.organizationId, t.createdAt)],
);
export type AuditEvent = typeof auditEvents.$inferSelect;

/**
 * Credits, the same columns on keys and customers (null remaining: no credit limit). A verification's
 * cost is taken atomically; a refill sets them back to the refill amount, lazily, once it is due.
 */
const creditColumns = () => ({
  creditsRemaining: integer("credits_remaining"),
  creditsRefillAmount: integer("credits_refill_amount"),
  creditsRefillInterval: text("credits_refill_interval").$type<RefillInterval>(),
  creditsRefillDay: integer("credits_refill_day"),
  creditsNextRefillAt: timestamp("credits_next_refill_at", { withTimezone: true, mode: "date" }),
  creditsLowThreshold: integer("credits_low_threshold"),
});

// ---- Customers ----

/** The organization's own customers: keys can be scoped to one (verification answers carry it). */
export const customers = pgTable(
  "customer",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    /** The customer's id in the organization's own system; unique in the organization. */
    externalId: text("external_id").notNull(),
    name: text("name").notNull(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    /** Named rate limits shared by all the customer's keys (a key's limit of the same name replaces one). */
    ratelimits: jsonb("ratelimits").$type<NamedLimit[]>().notNull().default([]),
    ...creditColumns(),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("customer_org_external_idx").on(t.organizationId, t.externalId), index("customer_org_name_idx").on(t.organizationId, t.name)],
);
export type Customer = typeof customers.$inferSelect;

// ---- API keys ----

export const keyTypeEnum = pgEnum("key_type", KEY_TYPES);
export const keyEnvironmentEnum = pgEnum("key_environment", KEY_ENVIRONMENTS);
/** Stored statuses; "expired" is derived from expires_at. */
export const keyStatusEnum = pgEnum("key_status", ["active", "suspended", "revoked"]);
export type StoredKeyStatus = (typeof keyStatusEnum.enumValues)[number];

export const apiKeys = pgTable(
  "api_key",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    ownerId: text("owner_id").references(() => users.id, { onDelete: "set null" }),
    createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    description: text("description"),
    type: keyTypeEnum("type").notNull(),
    environment: keyEnvironmentEnum("environment").notNull(),
    /** "sk_prod_" etc. and the token's last 4 characters: enough to recognise a key, never to use it. */
    prefix: text("prefix").notNull(),
    last4: text("last4").notNull(),
    /** SHA-256 (hex) of the live token. */
    hash: text("hash").notNull(),
    /** During a roll's grace period, the previous token's hash and when it stops working. */
    previousHash: text("previous_hash"),
    previousHashExpiresAt: timestamp("previous_hash_expires_at", { withTimezone: true, mode: "date" }),
    /** Public keys only: their token is not a secret and stays visible to members. */
    publicToken: text("public_token"),
    /** Recoverable secret keys only: the token, AES-256-GCM encrypted (lib/keys/recoverable.ts). */
    tokenSealed: text("token_sealed"),
    status: keyStatusEnum("status").notNull().default("active"),
    permissions: text("permissions").array().notNull().default([]),
    rules: text("rules"),
    ipAllowlist: text("ip_allowlist").array().notNull().default([]),
    /** Named rate limits `[{ name, limit, window }]` (window in seconds); "default" is the single-limit shorthand. */
    ratelimits: jsonb("ratelimits").$type<NamedLimit[]>().notNull().default([]),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    externalId: text("external_id"),
    /** The customer the key is scoped to (a customer with keys cannot be deleted). */
    customerId: text("customer_id").references(() => customers.id, { onDelete: "restrict" }),
    ...creditColumns(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "date" }),
    lastUsedIp: text("last_used_ip"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
    /** Since when verifications naming this key's permissions are counted (its creation, or the upgrade that began counting). */
    permissionUseCountedSince: timestamp("permission_use_counted_since", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("api_key_hash_idx").on(t.hash),
    uniqueIndex("api_key_previous_hash_idx").on(t.previousHash),
    uniqueIndex("api_key_live_name_idx").on(t.organizationId, sql`lower(${t.name})`).where(sql`${t.revokedAt} is null`),
    // The keys tables' sorts by creation and name, with the id that breaks ties: a page is read in order.
    index("api_key_org_created_idx").on(t.organizationId, t.createdAt, t.id),
    index("api_key_org_name_idx").on(t.organizationId, t.name, t.id),
    index("api_key_owner_idx").on(t.ownerId),
    index("api_key_expires_idx").on(t.expiresAt),
    index("api_key_customer_idx").on(t.customerId),
  ],
);
export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;

/** Permissions an organization adds to the built-in ones. */
export const orgPermissions = pgTable(
  "org_permission",
  {
    organizationId: text("organization_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.name] })],
);

/** One row per verification of an existing key; written in batches off the request path. No FK, so a
 * batch never fails because a key was deleted meanwhile; reads join the key. Partitioned by day on
 * `at` (drizzle has no partition syntax: see drizzle/0005_usage_rollups.sql); the hourly job creates
 * partitions ahead and drops whole days past USAGE_RETENTION_DAYS. Only the request-log view reads it. */
export const keyRequestLog = pgTable(
  "key_request_log",
  {
    id: bigint("id", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    keyId: text("key_id").notNull(),
    organizationId: text("organization_id").notNull(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull(),
    code: text("code").notNull(),
    ip: text("ip"),
    method: text("method"),
    path: text("path"),
  },
  // Written at verification rate, so every index counts: one btree for a key's log. Retention drops
  // whole partitions, so no index on time alone. A partitioned table's key must include `at`.
  (t) => [primaryKey({ columns: [t.id, t.at] }), index("key_request_log_key_at_idx").on(t.keyId, t.at)],
);
export type KeyRequestLogRow = typeof keyRequestLog.$inferSelect;

// ---- Usage rollups: written with each request-log batch, in the same transaction (lib/verify/usage.ts) ----
// Charts, counts and the analytics API read these, never raw rows. Kept ROLLUP_RETENTION_DAYS.

const rollupColumns = () => ({
  keyId: text("key_id").notNull(),
  code: text("code").notNull(),
  organizationId: text("organization_id").notNull(),
  environment: keyEnvironmentEnum("environment").notNull(),
  /** The key's customer when it was verified (the newest write wins within a bucket); null: none. */
  customerId: text("customer_id"),
  count: bigint("count", { mode: "number" }).notNull(),
});

/** Verifications per key, minute and outcome: the last 24 h edges and minute-granularity analytics. */
export const keyUsageMinute = pgTable(
  "key_usage_minute",
  { minute: timestamp("minute", { withTimezone: true, mode: "date" }).notNull(), ...rollupColumns() },
  (t) => [
    primaryKey({ columns: [t.keyId, t.minute, t.code] }),
    index("key_usage_minute_org_idx").on(t.organizationId, t.minute),
    // Rollup retention deletes by time alone. Rows are written in time order, so a BRIN index (a few
    // pages, next to nothing for the writer to maintain) finds the old ones without walking a btree.
    index("key_usage_minute_minute_brin").using("brin", t.minute),
  ],
);
export type KeyUsageMinute = typeof keyUsageMinute.$inferSelect;

/** The same counts per hour (60x fewer rows): hour charts, the keys table, the key page. */
export const keyUsageHour = pgTable(
  "key_usage_hour",
  { hour: timestamp("hour", { withTimezone: true, mode: "date" }).notNull(), ...rollupColumns() },
  (t) => [
    primaryKey({ columns: [t.keyId, t.hour, t.code] }),
    index("key_usage_hour_org_idx").on(t.organizationId, t.hour),
    // A customer's usage (its page, the customer filter) without reading the whole organization's.
    index("key_usage_hour_customer_idx").on(t.customerId, t.hour).where(sql`${t.customerId} is not null`),
    index("key_usage_hour_hour_brin").using("brin", t.hour),
  ],
);
export type KeyUsageHour = typeof keyUsageHour.$inferSelect;

/** The same counts per UTC day: the 30- and 90-day views of an organization with many keys. */
export const keyUsageDay = pgTable(
  "key_usage_day",
  { day: date("day", { mode: "string" }).notNull(), ...rollupColumns() },
  (t) => [
    primaryKey({ columns: [t.keyId, t.day, t.code] }),
    index("key_usage_day_org_idx").on(t.organizationId, t.day),
    index("key_usage_day_customer_idx").on(t.customerId, t.day).where(sql`${t.customerId} is not null`),
    index("key_usage_day_day_brin").using("brin", t.day),
  ],
);
export type KeyUsageDay = typeof keyUsageDay.$inferSelect;

/**
 * The same counts per UTC week (Monday to Monday; `week` is its Monday): ranking an organization's
 * keys over 30 or 90 days reads whole weeks here and only the days at the edges from key_usage_day.
 */
export const keyUsageWeek = pgTable(
  "key_usage_week",
  { week: date("week", { mode: "string" }).notNull(), ...rollupColumns() },
  (t) => [
    primaryKey({ columns: [t.keyId, t.week, t.code] }),
    index("key_usage_week_org_idx").on(t.organizationId, t.week),
    index("key_usage_week_customer_idx").on(t.customerId, t.week).where(sql`${t.customerId} is not null`),
    index("key_usage_week_week_brin").using("brin", t.week),
  ],
);
export type KeyUsageWeek = typeof keyUsageWeek.$inferSelect;

// The same counts per organization, environment and outcome (no key): an organization's chart, totals and
// environment breakdown read a few rows per bucket however many keys it has.
const orgRollupColumns = () => ({
  organizationId: text("organization_id").notNull(),
  environment: keyEnvironmentEnum("environment").notNull(),
  code: text("code").notNull(),
  count: bigint("count", { mode: "number" }).notNull(),
});
export const orgUsageMinute = pgTable("org_usage_minute", { minute: timestamp("minute", { withTimezone: true, mode: "date" }).notNull(), ...orgRollupColumns() }, (t) => [
  primaryKey({ columns: [t.organizationId, t.minute, t.environment, t.code] }),
  index("org_usage_minute_minute_brin").using("brin", t.minute),
]);
export const orgUsageHour = pgTable("org_usage_hour", { hour: timestamp("hour", { withTimezone: true, mode: "date" }).notNull(), ...orgRollupColumns() }, (t) => [
  primaryKey({ columns: [t.organizationId, t.hour, t.environment, t.code] }),
  index("org_usage_hour_hour_brin").using("brin", t.hour),
]);
export const orgUsageDay = pgTable("org_usage_day", { day: date("day", { mode: "string" }).notNull(), ...orgRollupColumns() }, (t) => [
  primaryKey({ columns: [t.organizationId, t.day, t.environment, t.code] }),
  index("org_usage_day_day_brin").using("brin", t.day),
]);

/** Per key and UTC day: how many verifications named each permission, and the last one (least privilege). */
export const keyPermissionUsageDay = pgTable(
  "key_permission_usage_day",
  {
    keyId: text("key_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    permission: text("permission").notNull(),
    organizationId: text("organization_id").notNull(),
    count: bigint("count", { mode: "number" }).notNull(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.day, t.permission] }), index("key_permission_usage_day_day_idx").on(t.day)],
);

// Idempotency-Key records of the management API: the first response to a POST, replayed to a retry
// with the same key and body from the same API key within 24 h. A token in the response is never stored.
export const idempotencyRecords = pgTable(
  "idempotency_record",
  {
    apiKeyId: text("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    idempotencyKey: text("idempotency_key").notNull(),
    /** SHA-256 of method, path and the canonical JSON body. */
    requestHash: text("request_hash").notNull(),
    /** Null while the first request is still running. */
    responseStatus: integer("response_status"),
    responseBody: jsonb("response_body"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.idempotencyKey] }), index("idempotency_record_created_idx").on(t.createdAt)],
);
export type IdempotencyRecord = typeof idempotencyRecords.$inferSelect;
