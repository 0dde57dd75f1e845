// The runbook language's tokens. Lexer and parser are two grammars because only a lexer grammar has modes
// (strings and their `${...}` below).
lexer grammar RunbookLexer;

// Token types only the lexer's actions and the error handling produce, never a rule.
tokens { UNTERMINATED_DOLLAR, UNTERMINATED_STRING, UNTERMINATED_TRIPLE, UNTERMINATED_INTERPOLATION }

@members {
    // Dollar quotes close only on the same tag they opened with, which a plain lexer rule
    // cannot express: after the opening delimiter, consume up to and including the closing one.
    // The body is scanned by lookahead and skipped in one step (the lexer's consume, a call per
    // character, was most of the time spent lexing a runbook of SQL steps); line and column
    // are counted as consume counts them.
    private void consumeDollarBody() {
        String open = getText();
        int matched = 0;
        int line = getInterpreter().getLine();
        int col = getInterpreter().getCharPositionInLine();
        for (int i = 1; ; i++) {
            int c = _input.LA(i);
            if (c == org.antlr.v4.runtime.IntStream.EOF) {
                skipTo(_input.index() + i - 1, line, col);
                setType(UNTERMINATED_DOLLAR);
                return;
            }
            if (c == '\n') {
                line++;
                col = 0;
            } else {
                col++;
            }
            matched = (c == open.charAt(matched)) ? matched + 1 : (c == '$' ? 1 : 0);
            if (matched == open.length()) {
                skipTo(_input.index() + i, line, col);
                return;
            }
        }
    }

    private void skipTo(int index, int line, int col) {
        _input.seek(index);
        getInterpreter().setLine(line);
        getInterpreter().setCharPositionInLine(col);
    }

    // A string is one token for the parser, lexed in modes: STRING_BODY / TRIPLE_BODY for the text, INTERPOLATION
    // inside `${...}`, where braces balance and strings, $$ blocks and comments nest, so `"a ${f("}")} b"` is one
    // string. The mode stack is empty outside strings. Where each outermost `${...}` of a string starts and ends
    // (code points from the string's opening quote) is kept for the builder, which parses those expressions.
    private final java.util.Map<Integer, java.util.List<int[]>> interpolations = new java.util.HashMap<>();
    private final java.util.List<int[]> pending = new java.util.ArrayList<>();
    private boolean tripleOuter;
    private int interpolationIndex;
    private int interpolationLine;
    private int interpolationCol;

    /** The `${...}` spans of a STRING or TRIPLE_STRING token: {start of the expression, its end}, in code points. */
    public java.util.List<int[]> interpolations(Token string) {
        return interpolations.getOrDefault(string.getStartIndex(), java.util.List.of());
    }

    private void openString(boolean triple) {
        tripleOuter = triple;
        pending.clear();
        pushMode(triple ? TRIPLE_BODY : STRING_BODY);
        more();
    }

    private void closeString() {
        popMode();
        if (!_modeStack.isEmpty()) {
            more(); // a string inside `${...}`: still the outer string's token
            return;
        }
        setType(tripleOuter ? TRIPLE_STRING : STRING);
        interpolations.put(_tokenStartCharIndex, java.util.List.copyOf(pending));
    }

    private void openInterpolation() {
        if (_modeStack.size() == 1) {
            interpolationIndex = _input.index() - 2;
            interpolationLine = getLine();
            interpolationCol = getCharPositionInLine() - 2;
            pending.add(new int[] {_input.index() - _tokenStartCharIndex, -1});
        }
        pushMode(INTERPOLATION);
        more();
    }

    private void closeBrace() {
        popMode();
        if (_modeStack.size() == 1 && _mode != INTERPOLATION)
            pending.get(pending.size() - 1)[1] = _input.index() - 1 - _tokenStartCharIndex;
        more();
    }

    /** A line break ends a "..." string, and the `${...}` inside one: the break itself is left to WS. */
    private void lineBreak() {
        if (tripleOuter && _mode == INTERPOLATION) {
            more();
            return;
        }
        int breakAt = _input.index() - 1;
        String before = _input.getText(org.antlr.v4.runtime.misc.Interval.of(_tokenStartCharIndex, breakAt - 1));
        int lastBreak = before.lastIndexOf('\n');
        int col = lastBreak < 0
                ? _tokenStartCharPositionInLine + before.codePointCount(0, before.length())
                : before.codePointCount(lastBreak + 1, before.length());
        if (_input.LA(-1) == '\n') getInterpreter().setLine(getLine() - 1);
        getInterpreter().setCharPositionInLine(col);
        _input.seek(breakAt);
        unterminated();
    }

    /** The end of the file (or of the line) inside a string: the token reports what was left open. */
    private void unterminated() {
        boolean inInterpolation = _modeStack.size() > 1 || _mode == INTERPOLATION;
        if (inInterpolation) {
            _tokenStartCharIndex = interpolationIndex;
            _tokenStartLine = interpolationLine;
            _tokenStartCharPositionInLine = interpolationCol;
        }
        setType(inInterpolation
                ? UNTERMINATED_INTERPOLATION
                : tripleOuter ? UNTERMINATED_TRIPLE : UNTERMINATED_STRING);
        while (!_modeStack.isEmpty()) popMode();
        pending.clear();
    }

    @Override
    public Token emit() {
        // The file ended inside a string: the lexer's simulator gives back EOF for the text gathered so far.
        if (_type == Token.EOF && !_modeStack.isEmpty()) unterminated();
        return super.emit();
    }
}



IMPORT      : 'import' ;
DEF         : 'def' ;
RUNBOOK     : 'runbook' ;
DESCRIPTION : 'description' ;
PARAM       : 'param' ;
SECRET      : 'secret' ;
SET         : 'set' ;
PREFLIGHT   : 'preflight' ;
PHASE       : 'phase' ;
NO          : 'no' ;
TRANSACTION : 'transaction' ;
VERIFY      : 'verify' ;
ROLLBACK    : 'rollback' ;
SQL         : 'sql' ;
FILE        : 'file' ;
CHECK       : 'check' ;
EXPECT      : 'expect' ;
LET         : 'let' ;
CONFIRM     : 'confirm' ;
TYPING      : 'typing' ;
ECHO        : 'echo' ;
AFFECTED    : 'affected' ;
RETRY       : 'retry' ;
BATCH       : 'batch' ;
UNTIL       : 'until' ;
MONITOR     : 'monitor' ;
EVERY       : 'every' ;
FOR         : 'for' ;
TOLERATE    : 'tolerate' ;
SH          : 'sh' ;
EXIT        : 'exit' ;
SNAPSHOT    : 'snapshot' ;
FIXTURE     : 'fixture' ;
DURATION    : 'duration' ;
SCALAR      : 'scalar' ;
COUNT       : 'count' ;
BETWEEN     : 'between' ;
AND         : 'and' ;
OR          : 'or' ;
NOT         : 'not' ;
TRUE        : 'true' ;
FALSE       : 'false' ;
NULL        : 'null' ;

LBRACE : '{' ;
RBRACE : '}' ;
LPAREN : '(' ;
RPAREN : ')' ;
COMMA  : ',' ;
DOT    : '.' ;
EQ     : '==' ;
NE     : '!=' ;
LE     : '<=' ;
GE     : '>=' ;
LT     : '<' ;
GT     : '>' ;
ASSIGN : '=' ;
PLUS   : '+' ;
MINUS  : '-' ;
STAR   : '*' ;
SLASH  : '/' ;

DURATION_LIT : [0-9]+ ('ms' | 's' | 'min' | 'm' | 'h' | 'd') ;
DECIMAL      : [0-9]+ '.' [0-9]+ ;
INT          : [0-9]+ ;
IDENT        : [a-zA-Z_] [a-zA-Z_0-9]* ;

// The opening quote; the string's modes below gather the rest into the same token. Character sets, not literals,
// in the modes: a literal written twice ('}' here and in RBRACE) would lose its name in the parser's messages.
TRIPLE_STRING : ["] ["] ["] { openString(true); } ;
STRING        : ["] { openString(false); } ;

DOLLAR_STRING : '$' ([a-zA-Z_] [a-zA-Z_0-9]*)? '$' { consumeDollarBody(); } ;

LINE_COMMENT : ('#' | '--') ~[\r\n]* -> channel(HIDDEN) ;
WS           : [ \t\r\n\f]+ -> skip ;

// Any other character: a token of its own, so the parser reports it where it stands.
BAD_CHAR     : . ;

// "...": escapes, `${`, the closing quote; a line break or the end of the file leaves it unterminated.
mode STRING_BODY;
S_ESCAPE     : '\\' . -> more ;
S_BACKSLASH  : '\\' -> more ; // the last character of the file
S_OPEN       : [$] [{] { openInterpolation(); } ;
S_CLOSE      : ["] { closeString(); } ;
S_BREAK      : [\r\n] { lineBreak(); } ;
S_TEXT       : ~["\\\r\n$]+ -> more ;
S_DOLLAR     : [$] -> more ;

// """...""": no escapes; the first """ closes it.
mode TRIPLE_BODY;
T_OPEN       : [$] [{] { openInterpolation(); } ;
T_CLOSE      : ["] ["] ["] { closeString(); } ;
T_TEXT       : ~["$]+ -> more ;
T_CHAR       : ["$] -> more ;

// Inside `${...}`: lexed as the default mode lexes, as far as braces go (strings, $$ blocks and comments hide
// theirs); the builder parses the expression with the `interpolation` rule.
mode INTERPOLATION;
I_LBRACE     : [{] { pushMode(INTERPOLATION); more(); } ;
I_RBRACE     : [}] { closeBrace(); } ;
I_TRIPLE     : ["] ["] ["] { pushMode(TRIPLE_BODY); more(); } ;
I_STRING     : ["] { pushMode(STRING_BODY); more(); } ;
I_DOLLAR     : '$' ([a-zA-Z_] [a-zA-Z_0-9]*)? '$' { consumeDollarBody(); more(); } ;
I_COMMENT    : ('#' | '--') ~[\r\n]* -> more ;
I_BREAK      : [\r\n] { lineBreak(); } ;
I_TEXT       : ~[{}"$#\r\n-]+ -> more ;
I_CHAR       : [$#-] -> more ;
