// Validates GitHub Actions workflow files with GitHub's own parser and model converter (@actions/workflow-parser):
// schema, expressions, needs, job and step structure. Prints "ok <file>" or "error <file>: <message>" per problem;
// exits 1 when any file has an error. Usage: node ci/workflow-parser/validate.mjs FILE...
import { readFileSync } from "node:fs";
import { register } from "node:module";

register("./json-modules.mjs", import.meta.url);
const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import("@actions/workflow-parser");

let failed = false;
for (const name of process.argv.slice(2)) {
  const parsed = parseWorkflow({ name, content: readFileSync(name, "utf8") }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value && errors.length === 0) {
    // the converter checks what the schema cannot: job dependencies (needs), matrix and job-level rules
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    errors.push(...(template.errors ?? []).map((e) => e.Message ?? e.message ?? String(e)));
  }
  if (!parsed.value && errors.length === 0) errors.push("not a workflow");
  for (const message of errors) console.log(`error ${name}: ${message}`);
  if (errors.length === 0) console.log(`ok ${name}`);
  failed ||= errors.length > 0;
}
process.exit(failed ? 1 : 0);
