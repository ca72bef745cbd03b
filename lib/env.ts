// Owns the process environment: parsed once with zod, so a bad variable stops start-up by name.
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .optional()
  .transform((v) => v === "true" || v === "1" || v === "yes");

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v));

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().default("0.0.0.0"),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
        .optional(),
    ),
    DATA_DIR: z.string().min(1).default("./.data"),
    AUTH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    AUTH_URL: optionalString.pipe(z.url().optional()),
    AUTH_GITHUB_ID: optionalString,
    AUTH_GITHUB_SECRET: optionalString,
    AUTH_GOOGLE_ID: optionalString,
    AUTH_GOOGLE_SECRET: optionalString,
    SMTP_URL: optionalString.pipe(z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL").optional()),
    SMTP_FROM: optionalString,
    TRUST_PROXY: bool,
    KEY_PURGE_AFTER_DAYS: z.coerce.number().int().min(0).max(3650).default(7),
    REDIS_URL: optionalString.pipe(z.string().regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL").optional()),
    RATE_LIMIT_MODE: z.enum(["local-first", "exact"], { error: "must be local-first or exact" }).default("local-first"),
    USAGE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    ROLLUP_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(400),
    // Failed lookups (MALFORMED, NOT_FOUND) per second one address may make before 429; 0 turns the guard off.
    VERIFY_MAX_FAILURES_PER_IP: z.coerce.number().int().min(0).default(100),
    /** Removed (it capped all traffic per address); kept here only to name it at start-up. */
    VERIFY_MAX_RPS_PER_IP: optionalString,
    /** When set, GET /metrics asks for Authorization: Bearer <METRICS_TOKEN>. */
    METRICS_TOKEN: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
    LATCHKEY_ENCRYPTION_KEY: optionalString.pipe(
      z
        .string()
        .refine((v) => /^[0-9a-f]{64}$/i.test(v.trim()) || Buffer.from(v.trim(), "base64").length === 32, "must be 32 bytes, base64 or hex (`openssl rand -base64 32`)")
        .optional(),
    ),
    REAUTH_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    /**
     * `all` (default): console, management API and verification. `verify`: verification only, without
     * Next.js in the process (POST /api/v1/keys/verify, GET /api/health, GET /metrics), beside `all`
     * instances on the same PostgreSQL: see the README's "Verify-only instances".
     */
    LATCHKEY_ROLE: z.enum(["all", "verify"], { error: "must be all or verify" }).default("all"),
  })
  .superRefine((env, ctx) => {
    if (env.VERIFY_MAX_RPS_PER_IP !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["VERIFY_MAX_RPS_PER_IP"],
        message:
          "was removed: the verify endpoint no longer caps requests per address, only failed lookups (unknown or malformed keys). Remove it, and set VERIFY_MAX_FAILURES_PER_IP (default 100 a second) if you need another budget",
      });
    }
    if (env.LATCHKEY_ROLE === "verify" && !env.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["LATCHKEY_ROLE"],
        message:
          "verify needs DATABASE_URL: a verify-only instance shares PostgreSQL with the instances that serve the console (the embedded database belongs to a single process)",
      });
    }
    if (env.NODE_ENV === "production" && env.DATABASE_URL && !env.AUTH_SECRET && env.LATCHKEY_ROLE === "all") {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_SECRET"],
        message: "is required when NODE_ENV=production and DATABASE_URL is set (generate one with `openssl rand -base64 33`)",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;
/** The validated environment; parsed lazily so `next build` never needs runtime variables. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
