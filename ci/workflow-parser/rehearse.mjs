// Plays a workflow's jobs in dependency order on this machine with every ci/scripts call in its dry-run mode and
// prints each command the real run would execute, arguments resolved. Fails on any input that does not resolve:
// a repository variable missing from the vars file, a job or step output nobody produces, a script that is missing
// or refuses its arguments. Before each job of an environment the stack's outputs of that environment (from the
// mocked `terraform test` run) stand in for what `terraform output -json` writes in the real run.
// Usage: node ci/workflow-parser/rehearse.mjs WORKFLOW VARS_FILE OUTPUTS_DIR
import { readFileSync, writeFileSync, mkdtempSync, existsSync, mkdirSync, copyFileSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { parse } from "yaml";

const [workflowFile, varsFile, outputsDir] = process.argv.slice(2);
const workflow = parse(readFileSync(workflowFile, "utf8"));
const vars = Object.fromEntries(readFileSync(varsFile, "utf8").split("\n").filter((l) => /^\w+=/.test(l))
  .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
const github = { sha: execFileSync("git", ["rev-parse", "HEAD"]).toString().trim(), workspace: process.cwd() };
const work = mkdtempSync(join(tmpdir(), "rehearsal-"));
const problems = [];
const say = (line) => console.log(line);

function resolve(text, ctx, where) {
  return String(text).replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr) => {
    let m;
    if ((m = expr.match(/^vars\.(\w+)$/))) return lookup(vars, m[1], `repository variable ${m[1]}`, where);
    if ((m = expr.match(/^needs\.([\w-]+)\.outputs\.(\w+)$/))) {
      if (!ctx.needs.includes(m[1])) return fail(where, `needs.${m[1]} without needs: ${m[1]}`);
      return lookup(ctx.jobOutputs[m[1]] ?? {}, m[2], `output ${m[2]} of job ${m[1]}`, where);
    }
    if ((m = expr.match(/^steps\.([\w-]+)\.outputs\.(\w+)$/))) return lookup(ctx.stepOutputs[m[1]] ?? {}, m[2], `output ${m[2]} of step ${m[1]}`, where);
    if ((m = expr.match(/^github\.(\w+)$/)) && github[m[1]]) return github[m[1]];
    if (expr === "always()") return "true";
    return fail(where, `cannot resolve \${{ ${expr} }}`);
  });
}
function lookup(map, key, what, where) {
  if (map[key] === undefined || map[key] === "") return fail(where, `${what} is not set`);
  return map[key];
}
function fail(where, message) {
  problems.push(`${where}: ${message}`);
  return `<MISSING>`;
}

// Jobs in an order that respects needs.
const jobs = workflow.jobs;
const order = [];
const visit = (id, path = []) => {
  if (order.includes(id)) return;
  if (!jobs[id]) { problems.push(`${path.join(" -> ")}: needs unknown job ${id}`); return; }
  const needs = [].concat(jobs[id].needs ?? []);
  needs.forEach((n) => visit(n, [...path, id]));
  order.push(id);
};
Object.keys(jobs).forEach((id) => visit(id));

const jobOutputs = {};
for (const id of order) {
  const job = jobs[id];
  const needs = [].concat(job.needs ?? []);
  const environment = typeof job.environment === "object" ? job.environment?.name : job.environment;
  say(`\n=== job ${id}${needs.length ? ` (after ${needs.join(", ")})` : ""}${environment ? ` [environment ${environment}]` : ""}`);
  const ctx = { needs, jobOutputs, stepOutputs: {} };
  const jobEnv = Object.fromEntries(Object.entries(job.env ?? {}).map(([k, v]) => [k, resolve(v, ctx, `${id} env ${k}`)]));
  // The stack's outputs of this environment where deploy.sh would write `terraform output -json` for real.
  if (environment && existsSync(join(outputsDir, environment, "terraform-outputs.json"))) {
    const target = join("target", "deploy", environment);
    mkdirSync(target, { recursive: true });
    copyFileSync(join(outputsDir, environment, "terraform-outputs.json"), join(target, "terraform-outputs.json"));
    say(`  (stand-in: ${join(outputsDir, environment, "terraform-outputs.json")} as ${target}/terraform-outputs.json)`);
  }
  for (const [index, step] of (job.steps ?? []).entries()) {
    const where = `${id} step ${step.id ?? index + 1}`;
    if (step.uses) {
      const withText = step.with ? " " + JSON.stringify(Object.fromEntries(Object.entries(step.with).map(([k, v]) => [k, resolve(v, ctx, where)]))) : "";
      say(`- uses ${step.uses}${withText}`);
      continue;
    }
    const run = resolve(step.run, ctx, where).trim();
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, resolve(v, ctx, `${where} env ${k}`)]));
    if (!/^(\.ci\/run|ci\/scripts\/[\w.-]+\.sh)\b/.test(run) || run.includes("\n")) {
      say(`- run (not a ci/scripts call, not played): ${run}`);
      continue;
    }
    say(`- run ${run}`);
    const outputFile = join(work, `${id}-${index}.out`);
    writeFileSync(outputFile, "");
    const result = spawnSync("bash", ["-c", `${run} --dry-run`], {
      env: { ...process.env, ...jobEnv, ...stepEnv, GITHUB_OUTPUT: outputFile, GITHUB_ENV: join(work, "env"), CI: "true" },
      encoding: "utf8", timeout: 120000,
    });
    for (const line of `${result.stdout}${result.stderr}`.split("\n").filter(Boolean)) say(`    ${line}`);
    if (result.status !== 0) problems.push(`${where}: '${run}' exited ${result.status}`);
    if (step.id) {
      ctx.stepOutputs[step.id] = Object.fromEntries(readFileSync(outputFile, "utf8").split("\n").filter((l) => l.includes("="))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    }
  }
  jobOutputs[id] = Object.fromEntries(Object.entries(job.outputs ?? {}).map(([k, v]) => [k, resolve(v, ctx, `${id} output ${k}`)]));
}
if (problems.length) {
  say(`\nrehearsal of ${workflowFile}: FAILED`);
  problems.forEach((p) => say(`  missing input: ${p}`));
  process.exit(1);
}
say(`\nrehearsal of ${workflowFile}: every job played, every input resolved (${order.length} jobs)`);
