// Owns reading `Authorization: Bearer <token>`: one rule for the management API and verification.

/** The token of a Bearer Authorization header (scheme in any case, surrounding spaces ignored), or null. */
export function bearerToken(header: string | null | undefined): string | null {
  if (!header) return null;
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : null;
}
