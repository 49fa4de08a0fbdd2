// Validates JSON documents against a JSON Schema (draft-04, -06 or -07) with Ajv.
// Usage: node validate-schema.mjs <schema.json>   (reads a JSON array of documents on stdin)
// Prints a JSON array with one entry per document: { "valid": bool, "errors": [ "path: message", ... ] }.
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(process.argv[2], "utf8"));
const draft = String(schema.$schema ?? "");
const options = { strict: false, allErrors: true };
let ajv;
if (draft.includes("draft-04")) {
  ajv = new AjvDraft04(options);
} else {
  // The Adaptive Card schema declares draft-06 but names itself with the draft-04 "id" keyword.
  if (schema.id && !schema.$id) { schema.$id = schema.id; delete schema.id; }
  ajv = new Ajv(options);
  ajv.addMetaSchema(require("ajv/dist/refs/json-schema-draft-06.json"));
}
addFormats(ajv);
const validate = ajv.compile(schema);
const documents = JSON.parse(readFileSync(0, "utf8"));
const results = documents.map((doc) => {
  const valid = validate(doc);
  const errors = valid ? [] : validate.errors.map((e) => `${e.instancePath || "/"}: ${e.message} ${JSON.stringify(e.params)}`);
  return { valid, errors };
});
process.stdout.write(JSON.stringify(results));
