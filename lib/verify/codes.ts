// Owns the verification outcome codes, in the order they are checked (PRODUCT.md).
export const VERIFY_CODES = [
  "MALFORMED",
  "NOT_FOUND",
  "REVOKED",
  "EXPIRED",
  "SUSPENDED",
  "OWNER_INACTIVE",
  "ENVIRONMENT_MISMATCH",
  "IP_NOT_ALLOWED",
  "RULE_DENIED",
  "INSUFFICIENT_PERMISSIONS",
  "USAGE_EXCEEDED",
  "RATE_LIMITED",
  "VALID",
] as const;
export type VerifyCode = (typeof VERIFY_CODES)[number];
