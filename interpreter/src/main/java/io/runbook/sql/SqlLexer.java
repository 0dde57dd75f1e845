package io.runbook.sql;

/**
 * Token scanner for PostgreSQL SQL as psql sees it (src/bin/psql/psqlscan.l). Comments and
 * whitespace are skipped. It keeps no statement state: {@link SqlSplitter} and
 * {@link StatementTokens} build on it. The current token is held in fields, so scanning
 * allocates nothing.
 */
final class SqlLexer {

    enum Type {
        WORD,
        QUOTED_IDENT,
        STRING,
        DOLLAR_STRING,
        NUMBER,
        PARAM,
        VAR,
        LPAREN,
        RPAREN,
        COMMA,
        SEMI,
        BACKSLASH,
        OP,
        EOF
    }

    private final String s;
    private final int limit;
    private int pos;

    Type type;
    int start;
    int end;
    /** For VAR tokens: the variable name's bounds and the reference kind. */
    int nameStart;

    int nameEnd;
    VarRef.Kind varKind;
    /** Set when the last call ran into an unterminated construct; cleared by the caller. */
    SqlProblem unterminated;
    /**
     * The server's standard_conforming_strings: when off, backslash escapes work in '...'
     * strings too, as psql's lexer follows the setting the server reports.
     */
    boolean stdStrings = true;

    SqlLexer(String s) {
        this.s = s;
        this.limit = s.length();
    }

    void seek(int p) {
        pos = p;
    }

    Type next() {
        while (pos < limit) {
            char c = s.charAt(pos);
            switch (c) {
                case ' ', '\t', '\n', '\r', '\f', '\u000B' -> {
                    pos++;
                    continue;
                }
                case '-' -> {
                    if (at(pos + 1) == '-') {
                        skipLineComment();
                        continue;
                    }
                    return single(Type.OP);
                }
                case '/' -> {
                    if (at(pos + 1) == '*') {
                        skipBlockComment();
                        continue;
                    }
                    return single(Type.OP);
                }
                case '\'' -> {
                    return stdStrings ? standardString(pos, pos) : escapeString(pos, pos);
                }
                case '"' -> {
                    return quotedIdent(pos, pos);
                }
                case '$' -> {
                    return dollar();
                }
                case ':' -> {
                    return colon();
                }
                case '(' -> {
                    return single(Type.LPAREN);
                }
                case ')' -> {
                    return single(Type.RPAREN);
                }
                case ',' -> {
                    return single(Type.COMMA);
                }
                case ';' -> {
                    return single(Type.SEMI);
                }
                case '\\' -> {
                    return single(Type.BACKSLASH);
                }
                default -> {
                    if (isIdentStart(c)) {
                        return word();
                    }
                    if (isDigit(c) || (c == '.' && isDigit(at(pos + 1)))) {
                        return number();
                    }
                    return single(Type.OP);
                }
            }
        }
        start = end = pos = limit;
        return type = Type.EOF;
    }

    private char at(int i) {
        return i < limit ? s.charAt(i) : '\0';
    }

    private Type single(Type t) {
        start = pos;
        end = ++pos;
        return type = t;
    }

    private Type token(Type t, int from, int to) {
        start = from;
        end = pos = to;
        return type = t;
    }

    private void skipLineComment() {
        int i = pos + 2;
        while (i < limit && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
            i++;
        }
        pos = i;
    }

    /** Block comments nest in PostgreSQL, unlike the SQL standard and most other databases. */
    private void skipBlockComment() {
        int open = pos;
        int depth = 1;
        int i = pos + 2;
        while (i < limit) {
            char c = s.charAt(i);
            if (c == '*' && at(i + 1) == '/') {
                i += 2;
                if (--depth == 0) {
                    pos = i;
                    return;
                }
            } else if (c == '/' && at(i + 1) == '*') {
                depth++;
                i += 2;
            } else {
                i++;
            }
        }
        pos = limit;
        unterminated = new SqlProblem(
                open,
                "unterminated block comment (opened here)",
                "add the closing */; block comments nest, so every /* inside needs its own */");
    }

    private Type word() {
        int from = pos;
        int i = pos + 1;
        while (i < limit && isIdentCont(s.charAt(i))) {
            i++;
        }
        if (i - from == 1) {
            char c = s.charAt(from);
            char n = at(i);
            // Single-letter prefixes: E'..' has backslash escapes; B'..', X'..', N'..' are plain.
            if (n == '\'') {
                if (c == 'e' || c == 'E') {
                    return escapeString(from, i);
                }
                if (c == 'n' || c == 'N') {
                    return stdStrings ? standardString(from, i) : escapeString(from, i);
                }
                if ("bBxX".indexOf(c) >= 0) {
                    return standardString(from, i);
                }
            }
            if ((c == 'u' || c == 'U') && n == '&') {
                if (at(i + 1) == '\'') {
                    return standardString(from, i + 1);
                }
                if (at(i + 1) == '"') {
                    return quotedIdent(from, i + 1);
                }
            }
        }
        return token(Type.WORD, from, i);
    }

    private Type number() {
        int from = pos;
        int i = pos;
        while (isDigit(at(i))) {
            i++;
        }
        if (at(i) == '.' && at(i + 1) != '.') {
            i++;
            while (isDigit(at(i))) {
                i++;
            }
        }
        // Trailing identifier characters (1e5, 0x1F, 1_000, junk) belong to the number, so a
        // following quote or dollar sign is not taken as the start of a string.
        if (i < limit && isIdentStart(s.charAt(i))) {
            while (i < limit && isIdentCont(s.charAt(i))) {
                i++;
            }
        }
        return token(Type.NUMBER, from, i);
    }

    /** A '...' string (also B'', X'', N'', U&''): '' is the only escape. */
    private Type standardString(int from, int quote) {
        int i = quote + 1;
        while (true) {
            int q = s.indexOf('\'', i);
            if (q < 0) {
                unterminated = new SqlProblem(
                        from,
                        "unterminated quoted string (opened here)",
                        "add the closing '; a quote inside a string is written ''");
                return token(Type.STRING, from, limit);
            }
            if (at(q + 1) == '\'') {
                i = q + 2;
            } else {
                return token(Type.STRING, from, q + 1);
            }
        }
    }

    /** An E'...' string: backslash escapes anything, and continuation lines stay escaped. */
    private Type escapeString(int from, int quote) {
        int i = quote + 1;
        while (i < limit) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (at(i + 1) == '\'') {
                    i += 2;
                } else {
                    int cont = continuation(i + 1);
                    if (cont < 0) {
                        return token(Type.STRING, from, i + 1);
                    }
                    i = cont + 1;
                }
            } else {
                i++;
            }
        }
        unterminated = new SqlProblem(
                from,
                "unterminated quoted string E'...' (opened here)",
                "add the closing '; inside E'...' a quote is written \\' or ''");
        return token(Type.STRING, from, limit);
    }

    /**
     * SQL's 'a' newline 'b' string continuation: returns the offset of the continuing quote,
     * or -1. The separator must contain a newline; -- comments may sit between the parts.
     */
    private int continuation(int i) {
        while (i < limit && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\f')) {
            i++;
        }
        if (i >= limit || (s.charAt(i) != '\n' && s.charAt(i) != '\r')) {
            return -1;
        }
        while (i < limit) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B') {
                i++;
            } else if (c == '-' && at(i + 1) == '-') {
                while (i < limit && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                    i++;
                }
                if (i >= limit) {
                    return -1; // psql only accepts a comment that ends with a newline here
                }
            } else {
                return c == '\'' ? i : -1;
            }
        }
        return -1;
    }

    private Type quotedIdent(int from, int quote) {
        int i = quote + 1;
        while (true) {
            int q = s.indexOf('"', i);
            if (q < 0) {
                unterminated = new SqlProblem(
                        from,
                        "unterminated quoted identifier (opened here)",
                        "add the closing \"; a double quote inside an identifier is written \"\"");
                return token(Type.QUOTED_IDENT, from, limit);
            }
            if (at(q + 1) == '"') {
                i = q + 2;
            } else {
                return token(Type.QUOTED_IDENT, from, q + 1);
            }
        }
    }

    private Type dollar() {
        int from = pos;
        char n = at(pos + 1);
        if (isDigit(n)) {
            int i = pos + 1;
            while (isDigit(at(i))) {
                i++;
            }
            return token(Type.PARAM, from, i);
        }
        int tagEnd = pos + 1;
        if (n != '$') {
            if (!isDollarTagStart(n)) {
                return single(Type.OP);
            }
            while (tagEnd < limit && isDollarTagCont(s.charAt(tagEnd))) {
                tagEnd++;
            }
            if (at(tagEnd) != '$') {
                return single(Type.OP); // "$abc" without a closing '$' is '$' then a word
            }
        }
        String delim = s.substring(from, tagEnd + 1);
        int close = s.indexOf(delim, tagEnd + 1);
        if (close < 0) {
            unterminated = new SqlProblem(
                    from, "unterminated dollar-quoted string " + delim + " (opened here)", "add the closing " + delim);
            return token(Type.DOLLAR_STRING, from, limit);
        }
        return token(Type.DOLLAR_STRING, from, close + delim.length());
    }

    /** psql variables :name, :'name', :"name", :{?name}; also skips :: casts and := as operators. */
    private Type colon() {
        int from = pos;
        char n = at(pos + 1);
        if (n == ':' || n == '=') {
            return token(Type.OP, from, pos + 2);
        }
        if (n == '{' && at(pos + 2) == '?') {
            int i = varNameEnd(pos + 3);
            if (i > pos + 3 && at(i) == '}') {
                nameStart = pos + 3;
                nameEnd = i;
                varKind = VarRef.Kind.TEST;
                return token(Type.VAR, from, i + 1);
            }
            return single(Type.OP);
        }
        if (n == '\'' || n == '"') {
            int i = varNameEnd(pos + 2);
            if (i > pos + 2 && at(i) == n) {
                nameStart = pos + 2;
                nameEnd = i;
                varKind = n == '\'' ? VarRef.Kind.LITERAL : VarRef.Kind.IDENTIFIER;
                return token(Type.VAR, from, i + 1);
            }
            return single(Type.OP);
        }
        int i = varNameEnd(pos + 1);
        if (i > pos + 1) {
            nameStart = pos + 1;
            nameEnd = i;
            varKind = VarRef.Kind.RAW;
            return token(Type.VAR, from, i);
        }
        return single(Type.OP);
    }

    private int varNameEnd(int i) {
        while (i < limit) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (!(isAsciiLetter(c) || isDigit(c) || c == '_')) {
                    return i;
                }
                i++;
            } else {
                int cp = s.codePointAt(i);
                if (!Character.isLetter(cp)) {
                    return i;
                }
                i += Character.charCount(cp);
            }
        }
        return i;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** psql's ident_start: [A-Za-z\200-\377_], i.e. any non-ASCII character. */
    static boolean isIdentStart(char c) {
        return isAsciiLetter(c) || c == '_' || c >= 0x80;
    }

    /** psql's ident_cont adds digits and '$' (so foo$$bar is one identifier). */
    static boolean isIdentCont(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }

    private static boolean isDollarTagStart(char c) {
        return isIdentStart(c);
    }

    private static boolean isDollarTagCont(char c) {
        return isIdentStart(c) || isDigit(c);
    }

    /** ASCII-only case-insensitive comparison of s[from,to) with an upper-case word. */
    static boolean wordIs(String s, int from, int to, String upper) {
        int len = upper.length();
        if (to - from != len) {
            return false;
        }
        for (int k = 0; k < len; k++) {
            char c = s.charAt(from + k);
            if (c >= 'a' && c <= 'z') {
                c = (char) (c - 32);
            }
            if (c != upper.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    boolean is(String upper) {
        return type == Type.WORD && wordIs(s, start, end, upper);
    }
}
