package dev.notejam.loadtests.observability;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names a PromQL expression reads (not its functions, keywords, labels or label values). */
final class PromqlNames {

	private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
			"and", "or", "unless", "bool", "offset", "inf", "nan");

	private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

	private PromqlNames() {
	}

	static Set<String> of(String expr) {
		String text = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")                 // string literals
			.replaceAll("\\{[^}]*}", " ")                                                   // label matchers
			.replaceAll("\\[[^]]*]", " ")                                                   // range selectors
			.replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " "); // label lists
		Set<String> names = new LinkedHashSet<>();
		Matcher m = IDENTIFIER.matcher(text);
		while (m.find()) {
			String word = m.group();
			int after = m.end();
			while (after < text.length() && Character.isWhitespace(text.charAt(after))) {
				after++;
			}
			boolean function = after < text.length() && text.charAt(after) == '(';
			boolean partOfNumber = m.start() > 0 && (Character.isDigit(text.charAt(m.start() - 1)) || text.charAt(m.start() - 1) == '.');
			if (!function && !partOfNumber && !KEYWORDS.contains(word.toLowerCase())) {
				names.add(word);
			}
		}
		return names;
	}
}
