package io.runbook.lint;

import io.runbook.sql.SqlTokens.Kind;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import net.sf.jsqlparser.statement.Statement;

/**
 * Only statements that can matter to a rule go through JSqlParser, the full parser, which costs a hundred
 * times more than the token scan: a cheap look at the first words picks the statements whose tree the analysers
 * read (CREATE TABLE/INDEX, ALTER TABLE, DROP TABLE, TRUNCATE, DELETE/UPDATE without WHERE), and of those only
 * the ones that touch a table the runbook did not create are parsed. Where JSqlParser gives up, the token
 * stream; where both give up, an `unanalysed` finding.
 */
final class StatementAnalyzer {
    private StatementAnalyzer() {}

    /** Who understood the statement: JSqlParser, the tokens because nothing needed the parser, the token fallback, nobody. */
    enum Source {
        PARSER,
        SCREENED,
        TOKENS,
        NONE
    }

    record Analysis(Source source, List<Change> changes, Toks tokens) {}

    static Analysis analyze(String text) {
        return analyze(text, changes -> true);
    }

    /**
     * needsTree: given what the tokens read, whether a rule may report on the statement (it touches a table the
     * runbook did not create); only then is the statement parsed. JSqlParser's reading is then the one used.
     */
    static Analysis analyze(String text, Predicate<List<Change>> needsTree) {
        return analyze(Toks.of(text), needsTree);
    }

    static Analysis analyze(Toks t, Predicate<List<Change>> needsTree) {
        String text = t.text;
        // JSqlParser cannot read psql variables (:name, :'name'); the token stream knows them.
        boolean vars = false;
        for (int i = 0; i < t.size(); i++) if (t.is(i, Kind.VAR)) vars = true;
        boolean worthParsing = worthParsing(t);
        if (!vars && worthParsing) {
            List<Change> fromTokens = TokenAnalyzer.analyze(t);
            if (fromTokens != null && !needsTree.test(fromTokens)) return new Analysis(Source.SCREENED, fromTokens, t);
            Statement st = ParsedAnalyzer.parse(text);
            if (st != null) {
                try {
                    List<Change> changes = ParsedAnalyzer.analyze(st, t);
                    if (changes != null) return new Analysis(Source.PARSER, changes, t);
                } catch (RuntimeException e) {
                    // a tree shape the analyser did not expect: the tokens still tell
                }
            }
        }
        try {
            List<Change> changes = TokenAnalyzer.analyze(t);
            if (changes != null) return new Analysis(worthParsing ? Source.TOKENS : Source.SCREENED, changes, t);
        } catch (RuntimeException e) {
            return new Analysis(
                    Source.NONE,
                    List.of(new Change.Unanalysed(
                            0, "the token analyser failed on it (" + e + "); please report this")),
                    t);
        }
        String first = t.size() == 0 ? "" : t.raw(0).toUpperCase(Locale.ROOT);
        return new Analysis(
                Source.NONE,
                List.of(new Change.Unanalysed(
                        0,
                        "JSqlParser does not accept it and the token fallback does not know statements starting with `"
                                + first + "`")),
                t);
    }

    /** Whether the statement is one whose tree the analysers read: CREATE TABLE/INDEX, ALTER TABLE, DROP TABLE, TRUNCATE, DELETE, UPDATE. */
    static boolean worthParsing(Toks t) {
        int k = 0;
        while (t.is(k, Kind.LPAREN)) k++;
        if (t.word(k, "TRUNCATE")) return true;
        if (t.word(k, "DELETE") || t.word(k, "UPDATE")) return t.find(k + 1, t.size(), t.depth(k), "WHERE") < 0;
        if (t.word(k, "ALTER") || t.word(k, "DROP")) return t.word(k + 1, "TABLE");
        if (!t.word(k, "CREATE")) return false;
        int i = k + 1;
        if (t.words(i, "OR", "REPLACE")) i += 2;
        while (t.word(i, "GLOBAL")
                || t.word(i, "LOCAL")
                || t.word(i, "TEMP")
                || t.word(i, "TEMPORARY")
                || t.word(i, "UNLOGGED")) i++;
        return t.word(i, "TABLE") || t.word(i, "INDEX") || t.word(i, "UNIQUE");
    }
}
