// The parser imports its JSON schema without an import attribute, which Node.js 20 refuses: mark JSON as JSON.
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  return resolved.url.endsWith(".json") ? { ...resolved, importAttributes: { type: "json" } } : resolved;
}
