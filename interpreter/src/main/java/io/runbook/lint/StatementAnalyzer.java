package io.runbook.lint;

import io.runbook.sql.SqlTokens.Kind;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.statement.Statement;

/** JSqlParser first; where it gives up, the token stream; where both give up, an `unanalysed` finding. */
final class StatementAnalyzer {
    private StatementAnalyzer() {}

    /** Who understood the statement. */
    enum Source { PARSER, TOKENS, NONE }

    record Analysis(Source source, List<Change> changes, Toks tokens) {}

    static Analysis analyze(String text) {
        Toks t = Toks.of(text);
        // JSqlParser cannot read psql variables (:name, :'name'); the token stream knows them.
        boolean vars = false;
        for (int i = 0; i < t.size(); i++) if (t.is(i, Kind.VAR)) vars = true;
        if (!vars) {
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
            if (changes != null) return new Analysis(Source.TOKENS, changes, t);
        } catch (RuntimeException e) {
            return new Analysis(Source.NONE, List.of(new Change.Unanalysed(0, "the token analyser failed on it (" + e + "); please report this")), t);
        }
        String first = t.size() == 0 ? "" : t.raw(0).toUpperCase(Locale.ROOT);
        return new Analysis(Source.NONE, List.of(new Change.Unanalysed(0,
                "JSqlParser does not accept it and the token fallback does not know statements starting with `" + first + "`")), t);
    }
}
