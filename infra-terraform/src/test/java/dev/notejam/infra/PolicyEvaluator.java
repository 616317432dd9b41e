package dev.notejam.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * A small evaluator of identity-based IAM policy documents, enough to replay a workload's API calls against its
 * role's inline policy: Allow and Deny statements, Action / NotAction and Resource / NotResource with * and ?
 * wildcards, and the condition operators the project's policies use (String*, Arn*, Null, Bool, with IfExists).
 * It does not model SCPs, permission boundaries, resource policies or KMS key policies: those are on paper.
 */
final class PolicyEvaluator {

    /** One API call: the IAM action, the resource ARN it authorises against, and the request context keys. */
    record Call(String description, String action, String resource, Map<String, String> context) {
        Call(String description, String action, String resource) {
            this(description, action, resource, Map.of());
        }

        @Override
        public String toString() {
            return description + " [" + action + " on " + resource + (context.isEmpty() ? "" : " with " + context) + "]";
        }
    }

    private PolicyEvaluator() {
    }

    /** True if some statement allows the call and none denies it. */
    static boolean allows(JsonNode policy, Call call) {
        boolean allowed = false;
        for (JsonNode statement : list(policy.path("Statement"))) {
            if (!applies(statement, call)) {
                continue;
            }
            if ("Deny".equals(statement.path("Effect").asString(""))) {
                return false;
            }
            allowed = true;
        }
        return allowed;
    }

    private static boolean applies(JsonNode statement, Call call) {
        boolean action = statement.has("NotAction")
                ? list(statement.path("NotAction")).stream().noneMatch(a -> matches(a.asString(), call.action(), true))
                : list(statement.path("Action")).stream().anyMatch(a -> matches(a.asString(), call.action(), true));
        boolean resource = statement.has("NotResource")
                ? list(statement.path("NotResource")).stream().noneMatch(r -> matches(r.asString(), call.resource(), false))
                : list(statement.path("Resource")).stream().anyMatch(r -> matches(r.asString(), call.resource(), false));
        return action && resource && conditionsHold(statement.path("Condition"), call.context());
    }

    private static boolean conditionsHold(JsonNode conditions, Map<String, String> context) {
        for (var operator : conditions.properties()) {
            for (var entry : operator.getValue().properties()) {
                if (!holds(operator.getKey(), entry.getKey(), list(entry.getValue()), context)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean holds(String operator, String key, List<JsonNode> expected, Map<String, String> context) {
        String actual = context.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(key)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
        if (operator.equals("Null")) {
            boolean mustBeAbsent = Boolean.parseBoolean(expected.get(0).asString());
            return mustBeAbsent == (actual == null);
        }
        boolean ifExists = operator.endsWith("IfExists");
        String base = ifExists ? operator.substring(0, operator.length() - "IfExists".length()) : operator;
        if (actual == null) {
            return ifExists;
        }
        List<String> values = expected.stream().map(JsonNode::asString).toList();
        return switch (base) {
            case "StringEquals", "ArnEquals" -> values.contains(actual);
            case "StringNotEquals", "ArnNotEquals" -> !values.contains(actual);
            case "StringEqualsIgnoreCase" -> values.stream().anyMatch(actual::equalsIgnoreCase);
            case "StringLike", "ArnLike" -> values.stream().anyMatch(v -> matches(v, actual, false));
            case "StringNotLike", "ArnNotLike" -> values.stream().noneMatch(v -> matches(v, actual, false));
            case "Bool" -> values.contains(actual.toLowerCase(Locale.ROOT));
            default -> throw new IllegalArgumentException("condition operator not modelled: " + operator);
        };
    }

    private static boolean matches(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0).matcher(value).matches();
    }

    private static List<JsonNode> list(JsonNode node) {
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        }
        else if (!node.isMissingNode() && !node.isNull()) {
            items.add(node);
        }
        return items;
    }
}
