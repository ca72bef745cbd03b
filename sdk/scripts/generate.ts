// `npm run sdk:generate`: writes Latchkey's OpenAPI document to sdk/openapi.json and regenerates sdk/src/generated from it.
import fs from "node:fs";
import { createClient } from "@hey-api/openapi-ts";
import { openApiDocument } from "../../lib/openapi";
import { DOCUMENT_PATH, GENERATED_DIR, generatorConfig, serializeDocument } from "./generator-config";

fs.writeFileSync(DOCUMENT_PATH, serializeDocument(openApiDocument()));
await createClient(generatorConfig(DOCUMENT_PATH, GENERATED_DIR));
console.log(`wrote ${DOCUMENT_PATH} and ${GENERATED_DIR}`);
