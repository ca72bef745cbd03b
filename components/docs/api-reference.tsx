// Renders the OpenAPI document readably: operations grouped by tag, each with its permission,
// parameters, body, responses and problem types; schemas as field tables. Server component.
import type { ReactNode } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";

type Json = Record<string, unknown>;
type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
  default?: unknown;
  $ref?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
};
type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  "x-required-permission"?: string;
  parameters?: { name: string; in: string; required?: boolean; schema: JsonSchema; description?: string }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; headers?: Record<string, { description?: string }>; content?: Record<string, { schema: JsonSchema }> }>;
};

/** Text with `inline code` (the document's descriptions use backticks). */
function Md({ text }: { text: string }) {
  return (
    <>
      {text.split(/(`[^`]+`)/).map((part, i) =>
        part.startsWith("`") && part.endsWith("`") && part.length > 1 ? (
          <code key={i} className="rounded bg-zinc-100 px-1 py-px font-mono text-[0.8em] text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">
            {part.slice(1, -1)}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

const METHOD_TONE: Record<string, BadgeTone> = { get: "green", post: "indigo", patch: "amber", delete: "red" };
const refName = (ref: string) => ref.split("/").pop()!;

function typeOf(s: JsonSchema | undefined): ReactNode {
  if (!s) return "any";
  if (s.$ref) return <a href={`#schema-${refName(s.$ref)}`} className="text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300">{refName(s.$ref)}</a>;
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (s.anyOf) {
    const parts = s.anyOf.filter((x) => Object.keys(x).length > 0);
    return parts.map((p, i) => (
      <span key={i}>
        {i > 0 && " | "}
        {typeOf(p)}
      </span>
    ));
  }
  if (s.type === "array") return <>array of {typeOf(s.items)}</>;
  if (s.type === "object" && s.properties) return "object";
  return Array.isArray(s.type) ? s.type.join(" | ") : (s.type ?? "any");
}

function constraints(s: JsonSchema): string {
  const out: string[] = [];
  if (s.maxLength !== undefined) out.push(`max ${s.maxLength} chars`);
  if (s.minimum !== undefined && s.maximum !== undefined) out.push(`${s.minimum}–${s.maximum}`);
  if (s.default !== undefined) out.push(`default ${JSON.stringify(s.default)}`);
  return out.join(", ");
}

/** The object a field holds (directly, or as one branch of "object | null"), to list its fields too. */
function nestedObject(s: JsonSchema): JsonSchema | undefined {
  if (s.type === "object" && s.properties) return s;
  return s.anyOf?.find((x) => x.type === "object" && x.properties);
}

function Fields({ schema }: { schema: JsonSchema }) {
  const props = Object.entries(schema.properties ?? {});
  if (!props.length) return <p className="text-sm text-zinc-600 dark:text-zinc-400">{typeOf(schema)}</p>;
  // A stacked list on phones, three columns from `sm` up (a table would squeeze the notes).
  return (
    <div className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
      {props.map(([name, s]) => (
        <div key={name} className="grid gap-x-4 gap-y-0.5 py-1.5 sm:grid-cols-[minmax(8rem,14rem)_minmax(6rem,12rem)_1fr]">
          <div className="font-mono text-xs break-all text-zinc-900 dark:text-zinc-100">
            {name}
            {schema.required?.includes(name) && <span className="ml-1 text-red-600 dark:text-red-400" title="required">*</span>}
          </div>
          <div className="font-mono text-xs break-words text-zinc-700 dark:text-zinc-300">{typeOf(s)}</div>
          <div className="min-w-0 text-zinc-600 dark:text-zinc-400">
            {s.description && <Md text={s.description} />}
            {constraints(s) && <span className="block text-xs text-zinc-500 dark:text-zinc-400">{constraints(s)}</span>}
            {nestedObject(s) && (
              <div className="mt-1 rounded border border-zinc-200 px-2 dark:border-zinc-800">
                <Fields schema={nestedObject(s)!} />
              </div>
            )}
          </div>
        </div>
      ))}
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="mt-4">
      <h4 className="mb-1.5 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{title}</h4>
      {children}
    </div>
  );
}

function OperationCard({ path, method, op }: { path: string; method: string; op: Operation }) {
  const body = op.requestBody ? Object.values(op.requestBody.content)[0]?.schema : undefined;
  return (
    <article id={op.operationId} className="scroll-mt-6 rounded-lg border border-zinc-200 bg-white p-5 shadow-xs dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={METHOD_TONE[method] ?? "neutral"} className="font-mono uppercase">{method}</Badge>
        <code className="font-mono text-sm break-all text-zinc-900 dark:text-zinc-100">{path}</code>
        {op["x-required-permission"] && <Badge className="ml-auto font-mono">{op["x-required-permission"]}</Badge>}
      </div>
      <h3 className="mt-2 font-semibold text-zinc-900 dark:text-zinc-100">{op.summary}</h3>
      {op.description && <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400"><Md text={op.description} /></p>}
      {op.parameters?.length ? (
        <Section title="Parameters">
          <Fields
            schema={{
              properties: Object.fromEntries(op.parameters.map((p) => [`${p.name} (${p.in})`, { ...p.schema, description: p.description ?? p.schema.description }])),
              required: op.parameters.filter((p) => p.required).map((p) => `${p.name} (${p.in})`),
            }}
          />
        </Section>
      ) : null}
      {body && (
        <Section title="Body (application/json)">
          <p className="text-sm">{typeOf(body)}</p>
        </Section>
      )}
      <Section title="Responses">
        <ul className="space-y-1.5 text-sm">
          {Object.entries(op.responses).map(([status, r]) => {
            const schema = r.content ? Object.values(r.content)[0]?.schema : undefined;
            const problemTypes = r.description.split("\n\n").map((d) => d.match(/^`([\w-]+)`:/)?.[1]).filter((t): t is string => Boolean(t));
            return (
              <li key={status} className="flex gap-3">
                <code className={`w-10 shrink-0 font-mono font-semibold ${Number(status) < 400 ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`}>{status}</code>
                <span className="min-w-0 text-zinc-700 dark:text-zinc-300">
                  {problemTypes.length ? (
                    problemTypes.map((t, i) => (
                      <span key={t}>
                        {i > 0 && ", "}
                        <a href={`#problem-${t}`} className="font-mono text-xs text-indigo-700 hover:underline dark:text-indigo-300">{t}</a>
                      </span>
                    ))
                  ) : (
                    <Md text={r.description} />
                  )}
                  {schema && Number(status) < 400 && <span className="ml-1 font-mono text-xs">→ {typeOf(schema)}</span>}
                  {r.headers && Number(status) < 400 && <span className="block text-xs text-zinc-500 dark:text-zinc-400">Headers: {Object.keys(r.headers).join(", ")}</span>}
                </span>
              </li>
            );
          })}
        </ul>
      </Section>
    </article>
  );
}

export function ApiReference({ doc }: { doc: Json }) {
  const paths = doc.paths as Record<string, Record<string, Operation>>;
  const schemas = (doc.components as { schemas: Record<string, JsonSchema & { "x-problem-types"?: Record<string, { status: number; title: string; description: string }> }> }).schemas;
  const tags = doc.tags as { name: string; description: string }[];
  const ops = Object.entries(paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ path, method, op })));
  const problems = schemas.ApiProblem["x-problem-types"] ?? {};
  return (
    <div className="lg:grid lg:grid-cols-[16rem_1fr] lg:gap-10">
      <nav aria-label="API reference" className="mb-8 text-sm lg:sticky lg:top-6 lg:mb-0 lg:self-start">
        {tags.map((t) => (
          <div key={t.name} className="mb-4">
            <p className="mb-1 font-semibold text-zinc-900 dark:text-zinc-100">{t.name}</p>
            <ul className="space-y-1">
              {ops.filter((o) => o.op.tags?.includes(t.name)).map(({ method, op }) => (
                <li key={op.operationId}>
                  <a href={`#${op.operationId}`} className="flex gap-2 text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
                    <span className="w-12 shrink-0 font-mono text-xs uppercase">{method}</span>
                    <span className="truncate" title={op.summary}>{op.summary}</span>
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))}
        <p className="mb-1 font-semibold text-zinc-900 dark:text-zinc-100">Reference</p>
        <ul className="space-y-1">
          <li><a href="#errors" className="text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">Errors</a></li>
          <li><a href="#schemas" className="text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">Schemas</a></li>
        </ul>
      </nav>
      <div className="min-w-0 space-y-10">
        {tags.map((t) => (
          <section key={t.name} aria-labelledby={`tag-${t.name}`}>
            <h2 id={`tag-${t.name}`} className="text-lg font-semibold text-zinc-900 dark:text-zinc-50">{t.name}</h2>
            <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">{t.description}</p>
            <div className="space-y-4">
              {ops.filter((o) => o.op.tags?.includes(t.name)).map((o) => <OperationCard key={o.op.operationId} {...o} />)}
            </div>
          </section>
        ))}
        <section id="errors" aria-labelledby="errors-title" className="scroll-mt-6">
          <h2 id="errors-title" className="text-lg font-semibold text-zinc-900 dark:text-zinc-50">Errors</h2>
          <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
            Every error is <code className="font-mono text-xs">application/problem+json</code> with a stable <code className="font-mono text-xs">type</code>. Compare the type, not the text of <code className="font-mono text-xs">detail</code>.
          </p>
          <dl className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
            {Object.entries(problems).map(([type, p]) => (
              <div key={type} id={`problem-${type}`} className="scroll-mt-6 px-5 py-3">
                <dt className="flex flex-wrap items-center gap-2">
                  <code className="font-mono text-sm text-zinc-900 dark:text-zinc-100">/docs/api#problem-{type}</code>
                  <Badge tone={p.status >= 500 ? "red" : "amber"}>{p.status}</Badge>
                  <span className="text-sm text-zinc-600 dark:text-zinc-400">{p.title}</span>
                </dt>
                <dd className="mt-1 text-sm text-zinc-600 dark:text-zinc-400"><Md text={p.description} /></dd>
              </div>
            ))}
          </dl>
        </section>
        <section id="schemas" aria-labelledby="schemas-title" className="scroll-mt-6">
          <h2 id="schemas-title" className="mb-4 text-lg font-semibold text-zinc-900 dark:text-zinc-50">Schemas</h2>
          <div className="space-y-4">
            {Object.entries(schemas).map(([name, s]) => (
              <div key={name} id={`schema-${name}`} className="scroll-mt-6 rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
                <h3 className="font-mono text-sm font-semibold text-zinc-900 dark:text-zinc-100">{name}</h3>
                {s.description && <p className="mt-1 mb-2 text-sm text-zinc-600 dark:text-zinc-400"><Md text={s.description} /></p>}
                <div className="mt-2"><Fields schema={s} /></div>
              </div>
            ))}
          </div>
        </section>
      </div>
    </div>
  );
}
