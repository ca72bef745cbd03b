// Owns the OpenAPI 3.1 document, generated from the zod schemas that validate the requests.
import { z } from "zod";
import { verifyRequestSchema } from "./verify/request";
import { problemSchema, verifyResponseSchema } from "./verify/response";

const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: "draft-2020-12", unrepresentable: "any", io: "input" });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } });

export function openApiDocument(serverUrl?: string) {
  return {
    openapi: "3.1.0",
    info: { title: "Latchkey API", version: "1.0.0", description: "Verify API keys, and manage them with keys." },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths: {
      "/api/v1/keys/verify": {
        post: {
          operationId: "verifyKey",
          summary: "Is this key good for this request, and if not, why not?",
          description:
            "Answers 200 for every well-formed request, valid or not. The body's `ip` is honoured only with `Authorization: Bearer <secret key with keys:verify>` of the same organization; such a verifier key also restricts answers to its own organization's keys.",
          security: [{}, { bearer: [] }],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/VerifyRequest" } } } },
          responses: {
            "200": {
              description: "The verdict.",
              headers: {
                RateLimit: { description: 'Remaining requests and seconds to reset, e.g. `"key";r=99;t=42` (keys with a rate limit).', schema: { type: "string" } },
                "RateLimit-Policy": { description: 'The key\'s quota and window, e.g. `"key";q=100;w=60`.', schema: { type: "string" } },
                "Retry-After": { description: "Seconds until a RATE_LIMITED key may retry.", schema: { type: "integer" } },
              },
              content: { "application/json": { schema: { $ref: "#/components/schemas/VerifyResponse" } } },
            },
            "400": problem("Malformed request (not JSON, wrong types, unknown environment, body over 16 KiB, wrong content type); `detail` names the field."),
            "429": { ...problem("This client address sent requests too fast (VERIFY_MAX_RPS_PER_IP)."), headers: { "Retry-After": { schema: { type: "integer" } } } },
          },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "A secret Latchkey key." } },
      schemas: {
        VerifyRequest: schema(verifyRequestSchema),
        VerifyResponse: schema(verifyResponseSchema),
        Problem: schema(problemSchema),
      },
    },
  };
}
