package io.runbook.db;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks passwords in connection strings before they are shown to anyone. */
final class Secrets {
    static final String MASK = "****";

    /** {@code password=...} / {@code sslpassword=...} in keyword/value strings and URL query strings. */
    private static final Pattern PASSWORD_PARAM =
            Pattern.compile("(?i)(?<![a-z0-9_])((?:ssl)?password\\s*=\\s*)('(?:\\\\.|[^'\\\\])*'?|[^&\\s]*)");

    private Secrets() {}

    /**
     * Returns {@code raw} with every password it may contain replaced by {@value #MASK}: the
     * {@code user:password@} part of a URI, {@code password=} parameters, and any of the
     * {@code knownSecrets} (e.g. an already decoded password). Errs on the side of masking too much.
     */
    static String mask(String raw, String... knownSecrets) {
        if (raw == null) {
            return null;
        }
        String s = raw;
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            int start = scheme + 3;
            int at = s.lastIndexOf('@');
            if (at > start) {
                int colon = s.indexOf(':', start);
                if (colon >= 0 && colon < at) {
                    s = s.substring(0, colon + 1) + MASK + s.substring(at);
                }
            }
        }
        Matcher m = PASSWORD_PARAM.matcher(s);
        s = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK));
        for (String secret : knownSecrets) {
            // very short secrets would garble the text (every "a" masked); the patterns above cover them
            if (secret != null && secret.length() >= 4) {
                s = s.replace(secret, MASK);
            }
        }
        return s;
    }
}
