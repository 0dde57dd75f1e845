package io.runbook.db;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * Parsers for the three accepted connection-string forms. Each fills a {@link Parts}; values that are absent
 * stay {@code null} so that {@link ConnectionSettings#resolve} can fill them from the PG* environment, like libpq.
 */
final class ConnectionStrings {
    private ConnectionStrings() {}

    private static final Pattern HOST_PORT_PATH = Pattern.compile("[^:/?]*:\\d*[/?].*", Pattern.DOTALL);

    /** Partially specified connection parameters. Query/keyword parameters are stored under pgjdbc property names. */
    static final class Parts {
        String host;
        String port;
        String dbname;
        String user;
        String password;
        String passfile;
        String fallbackApplicationName;
        String service;
        final Map<String, String> properties = new LinkedHashMap<>();
    }

    static boolean isUri(String s) {
        return startsWithIgnoreCase(s, "postgresql://") || startsWithIgnoreCase(s, "postgres://");
    }

    static boolean isJdbcUrl(String s) {
        return startsWithIgnoreCase(s, "jdbc:postgresql:");
    }

    static boolean isKeywordValue(String s) {
        return s.indexOf('=') >= 0 && !s.contains("://");
    }

    /** Parses any accepted form; {@code source} (e.g. {@code --db}) is used in error messages. */
    static Parts parse(String value, String source) {
        String s = value.strip();
        if (s.isEmpty()) {
            throw new ConnectionConfigException(source, value, "the value is empty");
        }
        if (isUri(s)) {
            return parseUri(s, source);
        }
        if (isJdbcUrl(s)) {
            return parseJdbcUrl(s, source);
        }
        if (isKeywordValue(s)) {
            return parseKeywordValue(s, source);
        }
        if (s.contains("://")) {
            throw new ConnectionConfigException(
                    source,
                    value,
                    "unsupported URL scheme \"" + s.substring(0, s.indexOf("://"))
                            + "\" (expected postgresql://, postgres:// or jdbc:postgresql://)");
        }
        throw new ConnectionConfigException(
                source,
                value,
                "not a connection URI, JDBC URL or keyword/value string"
                        + (s.matches("[A-Za-z_][A-Za-z0-9_$.-]*")
                                ? " (to name only the database, write dbname=" + s + ")"
                                : ""));
    }

    // ---------------------------------------------------------------- postgresql:// URIs

    /**
     * {@code postgresql://[user[:password]@][host][:port][/dbname][?param=value&...]}, percent-decoded as libpq does
     * (no {@code +}-to-space). More lenient than libpq about unencoded {@code @ / ? :} in the password: the
     * credentials end at the last {@code @} (so an {@code @} in a query value must be written {@code %40}).
     */
    static Parts parseUri(String uri, String source) {
        Parts p = new Parts();
        String rest = uri.substring(uri.indexOf("://") + 3);

        // The credentials end at the LAST "@", so that unencoded "@ / ? :" in a password work (hand-written URIs
        // often have them). If what precedes it looks like a path or query instead (a user name with "/" or "?" and
        // no password, or "host:port/..."), the "@" belongs to the query: then use libpq's rule (credentials only if
        // an "@" comes before any "/").
        int at = rest.lastIndexOf('@');
        if (at >= 0
                && (HOST_PORT_PATH.matcher(rest.substring(0, at)).matches()
                        || (rest.substring(0, at).indexOf(':') < 0 && indexOfAny(rest.substring(0, at), "/?") >= 0))) {
            int first = indexOfAny(rest, "@/?");
            at = rest.charAt(first) == '@' ? first : -1;
        }
        if (at >= 0) {
            String userinfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userinfo.indexOf(':');
            String user = colon >= 0 ? userinfo.substring(0, colon) : userinfo;
            p.user = emptyToNull(decode(user, uri, source, "user name"));
            if (colon >= 0) {
                p.password = decode(userinfo.substring(colon + 1), uri, source, "password");
            }
        }

        int end = indexOfAny(rest, "/?");
        String hostspec = end >= 0 ? rest.substring(0, end) : rest;
        rest = end >= 0 ? rest.substring(end) : "";
        // host[:port][,host[:port]...]: kept as libpq's comma-separated host and port lists
        java.util.List<String> hosts = new java.util.ArrayList<>();
        java.util.List<String> ports = new java.util.ArrayList<>();
        for (String one : hostspec.split(",", -1)) {
            String host;
            String port = "";
            if (one.startsWith("[")) {
                int close = one.indexOf(']');
                if (close < 0) {
                    throw new ConnectionConfigException(source, uri, "missing \"]\" after the IPv6 address");
                }
                host = one.substring(1, close);
                String after = one.substring(close + 1);
                if (!after.isEmpty()) {
                    if (!after.startsWith(":")) {
                        throw new ConnectionConfigException(
                                source, uri, "unexpected \"" + after + "\" after the IPv6 address");
                    }
                    port = after.substring(1);
                }
            } else {
                int colon = one.lastIndexOf(':');
                host = colon >= 0 ? one.substring(0, colon) : one;
                port = colon >= 0 ? one.substring(colon + 1) : "";
            }
            hosts.add(decode(host, uri, source, "host"));
            ports.add(decode(port, uri, source, "port"));
        }
        setHost(p, emptyToNull(String.join(",", hosts)), uri, source);
        p.port = emptyToNull(String.join(",", ports).replaceAll("^,+$", ""));

        if (rest.startsWith("/")) {
            int query = rest.indexOf('?');
            p.dbname = emptyToNull(
                    decode(query >= 0 ? rest.substring(1, query) : rest.substring(1), uri, source, "database name"));
            rest = query >= 0 ? rest.substring(query) : "";
        }
        if (rest.startsWith("?")) {
            for (String pair : rest.substring(1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw new ConnectionConfigException(
                            source, uri, "missing \"=\" in query parameter \"" + Secrets.mask(pair) + "\"");
                }
                String key = decode(pair.substring(0, eq), uri, source, "query parameter name");
                String val = decode(pair.substring(eq + 1), uri, source, "query parameter \"" + key + "\"");
                applyParameter(p, key, val, uri, source);
            }
        }
        return p;
    }

    // ---------------------------------------------------------------- jdbc:postgresql: URLs

    /** Delegates to pgjdbc's own {@link Driver#parseURL}, which also supplies its defaults (localhost, 5432). */
    static Parts parseJdbcUrl(String url, String source) {
        Properties props = Driver.parseURL(url, null);
        if (props == null) {
            throw new ConnectionConfigException(
                    source,
                    url,
                    "pgjdbc does not accept this JDBC URL (check the host, the port number and the ?key=value parameters)");
        }
        Parts p = new Parts();
        String host = (String) props.remove(PGProperty.PG_HOST.getName());
        String port = (String) props.remove(PGProperty.PG_PORT.getName());
        if (host != null) {
            // pgjdbc keeps IPv6 brackets: "[::1],h2"
            java.util.List<String> hosts = new java.util.ArrayList<>();
            for (String h : host.split(",", -1)) {
                hosts.add(h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h);
            }
            host = String.join(",", hosts);
        }
        setHost(p, emptyToNull(host), url, source);
        p.port = emptyToNull(port);
        p.dbname = emptyToNull((String) props.remove(PGProperty.PG_DBNAME.getName()));
        p.user = emptyToNull((String) props.remove(PGProperty.USER.getName()));
        p.password = (String) props.remove(PGProperty.PASSWORD.getName());
        for (String name : props.stringPropertyNames()) {
            p.properties.put(name, props.getProperty(name));
        }
        return p;
    }

    // ---------------------------------------------------------------- libpq keyword/value strings

    /**
     * {@code host=h port=5432 dbname=app user=u password='it''s secret'}: whitespace-separated {@code key = value}
     * pairs; values may be single-quoted; backslash escapes the next character, as in libpq.
     */
    static Parts parseKeywordValue(String s, String source) {
        Parts p = new Parts();
        int i = 0;
        int n = s.length();
        while (true) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int keyStart = i;
            while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String key = s.substring(keyStart, i);
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n || s.charAt(i) != '=') {
                throw new ConnectionConfigException(source, s, "missing \"=\" after \"" + key + "\"");
            }
            if (key.isEmpty()) {
                throw new ConnectionConfigException(source, s, "missing keyword before \"=\"");
            }
            i++;
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            StringBuilder val = new StringBuilder();
            if (i < n && s.charAt(i) == '\'') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = s.charAt(i++);
                    if (c == '\\' && i < n) {
                        val.append(s.charAt(i++));
                    } else if (c == '\'') {
                        closed = true;
                        break;
                    } else {
                        val.append(c);
                    }
                }
                if (!closed) {
                    throw new ConnectionConfigException(source, s, "unterminated quoted value for \"" + key + "\"");
                }
            } else {
                while (i < n && !Character.isWhitespace(s.charAt(i))) {
                    char c = s.charAt(i++);
                    if (c == '\\' && i < n) {
                        val.append(s.charAt(i++));
                    } else {
                        val.append(c);
                    }
                }
            }
            applyParameter(p, key, val.toString(), s, source);
        }
        return p;
    }

    // ---------------------------------------------------------------- shared

    /**
     * Applies one libpq connection parameter (URI query parameter or keyword). libpq names are translated to pgjdbc
     * property names; names pgjdbc knows are passed through; anything else is an error, as in libpq.
     */
    static void applyParameter(Parts p, String key, String value, String raw, String source) {
        switch (key) {
            case "host", "hostaddr" -> setHost(p, emptyToNull(value), raw, source);
            case "port" -> p.port = emptyToNull(value);
            case "dbname" -> p.dbname = emptyToNull(value);
            case "user" -> p.user = emptyToNull(value);
            case "password" -> p.password = value;
            case "passfile" -> p.passfile = emptyToNull(value);
            case "application_name" -> p.properties.put(PGProperty.APPLICATION_NAME.getName(), value);
            case "fallback_application_name" -> p.fallbackApplicationName = value;
            case "connect_timeout" -> {
                if (!value.matches("\\d{1,9}")) {
                    throw new ConnectionConfigException(
                            source, raw, "connect_timeout \"" + value + "\" is not a whole number of seconds");
                }
                p.properties.put(PGProperty.CONNECT_TIMEOUT.getName(), value);
            }
            case "sslmode", "sslcert", "sslkey", "sslrootcert", "sslpassword", "options" ->
                p.properties.put(key, value);
            case "keepalives" ->
                p.properties.put(PGProperty.TCP_KEEP_ALIVE.getName(), String.valueOf(!"0".equals(value)));
            case "gssencmode" -> p.properties.put(PGProperty.GSS_ENC_MODE.getName(), value);
            case "channel_binding" -> p.properties.put(PGProperty.CHANNEL_BINDING.getName(), value);
            case "service" -> p.service = emptyToNull(value);
            case "target_session_attrs" ->
                p.properties.put(PGProperty.TARGET_SERVER_TYPE.getName(), targetServerType(value, raw, source));
            default -> {
                PGProperty known = PGProperty.forName(key);
                if (known == null
                        || known == PGProperty.PG_HOST
                        || known == PGProperty.PG_PORT
                        || known == PGProperty.PG_DBNAME) {
                    throw new ConnectionConfigException(source, raw, "unknown connection parameter \"" + key + "\"");
                }
                if (known == PGProperty.USER) {
                    p.user = emptyToNull(value);
                } else if (known == PGProperty.PASSWORD) {
                    p.password = value;
                } else {
                    p.properties.put(known.getName(), value);
                }
            }
        }
    }

    /**
     * libpq's {@code target_session_attrs} as pgjdbc's {@code targetServerType}. pgjdbc's "primary" checks
     * {@code transaction_read_only} like libpq's read-write; "secondary" like read-only.
     */
    static String targetServerType(String value, String raw, String source) {
        return switch (value) {
            case "any" -> "any";
            case "read-write", "primary" -> "primary";
            case "read-only", "standby" -> "secondary";
            case "prefer-standby" -> "preferSecondary";
            default ->
                throw new ConnectionConfigException(
                        source,
                        raw,
                        "target_session_attrs \"" + value
                                + "\" is not one of any, read-write, read-only, primary, standby, prefer-standby");
        };
    }

    /** A host, a Unix-socket directory ({@code /var/run/postgresql}) or libpq's comma-separated list of hosts. */
    static void setHost(Parts p, String host, String raw, String source) {
        if (host != null && host.indexOf(',') >= 0) {
            for (String h : host.split(",", -1)) {
                if (h.startsWith("/")) {
                    throw new ConnectionConfigException(
                            source,
                            raw,
                            "a Unix-domain socket (\"" + h
                                    + "\") cannot be one of several hosts: pgjdbc uses one socket factory per connection;"
                                    + " give the socket alone, or list TCP hosts only");
                }
            }
        }
        p.host = host;
    }

    /** libpq-style percent-decoding: {@code %XX} to bytes, decoded as UTF-8; {@code +} stays {@code +}. */
    static String decode(String s, String raw, String source, String what) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new ConnectionConfigException(
                            source,
                            raw,
                            "invalid percent-encoding in the " + what + " (\"%\" must be followed by two hex digits;"
                                    + " write %25 for a literal %)");
                }
                out.write(hi * 16 + lo);
                i += 3;
            } else {
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConnectionConfigException(source, raw, "the percent-encoded " + what + " is not valid UTF-8");
        }
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
