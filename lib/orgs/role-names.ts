// Owns the list of organization roles (shared by the schema, validation and the UI, client-safe).
export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];
