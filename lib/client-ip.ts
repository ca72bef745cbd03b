// Owns the name of the header through which server.ts hands the client's address to Next.
/** Set by server.ts from the socket (or a trusted proxy); any client-sent copy is overwritten there. */
export const CLIENT_IP_HEADER = "x-latchkey-client-ip";
