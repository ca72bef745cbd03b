// Owns RFC 9457 problem responses for the public API.
export type Problem = { status: number; title: string; detail: string; field?: string; type?: string };

export function problem(p: Problem, headers: Record<string, string> = {}): Response {
  const body = { type: p.type ?? "about:blank", title: p.title, status: p.status, detail: p.detail, ...(p.field ? { field: p.field } : {}) };
  return new Response(JSON.stringify(body), { status: p.status, headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", ...headers } });
}
