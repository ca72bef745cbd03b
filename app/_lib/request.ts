// Owns what a server component or action may know of the current HTTP request.
import { headers } from "next/headers";

import { CLIENT_IP_HEADER } from "@/lib/client-ip";

export async function clientIp(): Promise<string | null> {
  const h = await headers();
  return h.get(CLIENT_IP_HEADER);
}

export async function requestOrigin(): Promise<string> {
  if (process.env.AUTH_URL) return new URL(process.env.AUTH_URL).origin;
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000";
  const proto = h.get("x-forwarded-proto") ?? "http";
  return `${proto}://${host}`;
}
