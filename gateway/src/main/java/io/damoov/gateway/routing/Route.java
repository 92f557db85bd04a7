package io.damoov.gateway.routing;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One compiled route rule.
 *
 * @param id bounded identifier for metrics and audit: {@code upstream:pattern}
 * @param upstream upstream name, or {@code *}
 * @param pattern the configured Ant-style path pattern
 * @param methods upper-case methods, empty = all
 * @param credential credential to inject
 * @param role role the caller must hold
 */
public record Route(String id, String upstream, String pattern, Set<String> methods, CredentialKind credential,
        Optional<String> role, Pattern regex, String literalPrefix) {

    static Route compile(String upstream, String pattern, Set<String> methods, CredentialKind credential,
            Optional<String> role) {
        String p = pattern.startsWith("/") ? pattern : "/" + pattern;
        return new Route(upstream + ":" + p, upstream, p, methods, credential, role, toRegex(p), literalPrefix(p));
    }

    boolean matches(String upstreamName, String path, String method) {
        return ("*".equals(upstream) || upstream.equalsIgnoreCase(upstreamName))
                && (methods.isEmpty() || methods.contains(method))
                && path.regionMatches(true, 0, literalPrefix, 0, literalPrefix.length())
                && regex.matcher(path).matches();
    }

    /**
     * The pattern's ASCII text before its first wildcard: every path the regex matches starts with it (ignoring
     * case), so a cheap {@code regionMatches} skips most rules without running their regex. Empty (no pre-check)
     * when that text is not plain ASCII.
     */
    static String literalPrefix(String pattern) {
        String p = pattern.endsWith("/") && pattern.length() > 1 ? pattern.substring(0, pattern.length() - 1)
                : pattern;
        int star = p.indexOf('*');
        String prefix = star < 0 ? p : p.substring(0, star);
        if (star >= 0 && prefix.endsWith("/") && p.startsWith("/**", star - 1)) {
            prefix = prefix.substring(0, prefix.length() - 1); // "/**" also matches the prefix without its slash
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (prefix.charAt(i) >= 0x80) {
                return "";
            }
        }
        return prefix;
    }

    /**
     * {@code /**} at the end matches the prefix itself and anything below; {@code /**}{@code /} zero or more segments;
     * other {@code **} any characters; {@code *} any characters within one segment. Case-insensitive, trailing slash
     * tolerated, as Damoov's paths are.
     */
    static Pattern toRegex(String pattern) {
        StringBuilder re = new StringBuilder();
        String p = pattern.endsWith("/") && pattern.length() > 1 ? pattern.substring(0, pattern.length() - 1)
                : pattern;
        int i = 0;
        while (i < p.length()) {
            if (p.startsWith("/**/", i)) {
                re.append("(?:/.*)?/");
                i += 4;
            } else if (p.startsWith("/**", i) && i + 3 == p.length()) {
                re.append("(?:/.*)?");
                i += 3;
            } else if (p.startsWith("**", i)) {
                re.append(".*");
                i += 2;
            } else if (p.charAt(i) == '*') {
                re.append("[^/]*");
                i++;
            } else {
                int next = i;
                while (next < p.length() && p.charAt(next) != '*' && !p.startsWith("/**", next)) {
                    next++;
                }
                re.append(Pattern.quote(p.substring(i, next)));
                i = next;
            }
        }
        re.append("/?");
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
