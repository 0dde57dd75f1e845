package io.runbook.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.sql.SqlSplitter;
import io.runbook.sql.SqlStatement;
import io.runbook.testing.Files;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.sf.jsqlparser.statement.Statement;
import org.junit.jupiter.api.Test;

/**
 * The two analysers against each other: wherever JSqlParser accepts a statement, the token analyser must read
 * the same changes from it. Run over every statement of examples/**.sql, lint/statements.sql and, when present,
 * bench/out/bench.sql.
 */
class AnalyzerTest {

    static List<Path> corpus() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = java.nio.file.Files.walk(Files.root().resolve("examples"))) {
            s.filter(p -> p.toString().endsWith(".sql")).sorted().forEach(files::add);
        }
        files.add(Files.root().resolve("interpreter/src/test/resources/lint/statements.sql"));
        Path bench = Files.root().resolve("bench/out/bench.sql");
        if (java.nio.file.Files.exists(bench)) files.add(bench);
        return files;
    }

    @Test
    void tokensAgreeWithJSqlParserWhereverItParses() throws IOException {
        int parsed = 0;
        int total = 0;
        List<String> disagreements = new ArrayList<>();
        for (Path f : corpus()) {
            for (SqlStatement st :
                    SqlSplitter.split(java.nio.file.Files.readString(f)).statements()) {
                total++;
                Toks t = Toks.of(st.text());
                Statement tree = ParsedAnalyzer.parse(st.text());
                List<Change> fromTree = tree == null ? null : ParsedAnalyzer.analyze(tree, t);
                if (fromTree == null) continue;
                parsed++;
                List<Change> fromTokens = TokenAnalyzer.analyze(t);
                if (!describe(fromTree).equals(describe(fromTokens))) {
                    disagreements.add(f.getFileName() + ": " + st.text() + "\n  tree:   " + describe(fromTree)
                            + "\n  tokens: " + describe(fromTokens));
                }
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(parsed).isGreaterThan(total * 8 / 10);
    }

    /** Changes compared by what they say, types by their normalised form. */
    static String describe(List<Change> changes) {
        if (changes == null) return "null";
        List<String> out = new ArrayList<>();
        for (Change c : changes) {
            String s = c.toString();
            if (c instanceof Change.CreateTable ct) {
                s = "CreateTable[" + ct.table().key() + ", "
                        + ct.columns().stream()
                                .map(col -> col.name() + " " + type(col.type()))
                                .toList() + "]";
            } else if (c instanceof Change.AddColumn ac) {
                s = "AddColumn[" + ac.at() + ", " + ac.table().key() + ", " + ac.column() + ", " + type(ac.type())
                        + ", " + ac.volatileWhy() + "]";
            } else if (c instanceof Change.AlterColumnType at) {
                s = "AlterColumnType[" + at.at() + ", " + at.table().key() + ", " + at.column() + ", " + type(at.type())
                        + "]";
            }
            out.add(s);
        }
        return out.toString();
    }

    static String type(TypeName t) {
        return t.base() + t.mods() + (t.array() ? "[]" : "");
    }

    @Test
    void typeNames() {
        assertThat(type(TypeName.parse("character varying (100)"))).isEqualTo("varchar[100]");
        assertThat(type(TypeName.parse("timestamp with time zone"))).isEqualTo("timestamptz[]");
        assertThat(type(TypeName.parse("INT4[]"))).isEqualTo("integer[][]");
        assertThat(type(TypeName.parse("pg_catalog.numeric(10, 2)"))).isEqualTo("numeric[10, 2]");
        assertThat(TypeName.parse("varchar(20)").keepsBytesFrom(TypeName.parse("character varying(10)")))
                .isTrue();
        assertThat(TypeName.parse("varchar(5)").keepsBytesFrom(TypeName.parse("varchar(10)")))
                .isFalse();
        assertThat(TypeName.parse("text").keepsBytesFrom(TypeName.parse("varchar")))
                .isTrue();
        assertThat(TypeName.parse("numeric(12,2)").keepsBytesFrom(TypeName.parse("numeric(10,2)")))
                .isTrue();
        assertThat(TypeName.parse("numeric(12,3)").keepsBytesFrom(TypeName.parse("numeric(10,2)")))
                .isFalse();
        assertThat(TypeName.parse("bigint").keepsBytesFrom(TypeName.parse("int")))
                .isFalse();
    }

    @Test
    void doBlockBodies() {
        String sql =
                "DO $$ DECLARE n int; BEGIN <<outer>> IF n > 0 THEN ALTER TABLE a RENAME TO b; ELSE n := 1; END IF;"
                        + " FOR r IN SELECT 1 LOOP DELETE FROM c; END LOOP; RAISE NOTICE 'x'; EXECUTE 'x'; END $$";
        Change.DoBlock d = (Change.DoBlock) TokenAnalyzer.analyze(Toks.of(sql)).get(0);
        DoBody.Result r = DoBody.read(sql, d);
        assertThat(r.statements())
                .extracting(DoBody.Inner::text)
                .containsExactly("ALTER TABLE a RENAME TO b", "DELETE FROM c");
        assertThat(r.statements().get(0).offset()).isEqualTo(sql.indexOf("ALTER"));
        assertThat(r.unanalysed()).hasSize(1);
    }

    @Test
    void sqlTokensKeepCommentsAndDepth() {
        String sql = "alter table t -- trailing\n  add check ((a /* nested /* block */ */ > 0)) ; 'x'";
        List<io.runbook.sql.SqlTokens.Token> all = io.runbook.sql.SqlTokens.of(sql);
        assertThat(all)
                .filteredOn(t -> t.kind() == io.runbook.sql.SqlTokens.Kind.COMMENT)
                .extracting(t -> sql.substring(t.start(), t.end()))
                .containsExactly("-- trailing", "/* nested /* block */ */");
        assertThat(all)
                .filteredOn(t -> t.kind() == io.runbook.sql.SqlTokens.Kind.WORD)
                .extracting(t -> sql.substring(t.start(), t.end()) + "@" + t.depth())
                .containsExactly("alter@0", "table@0", "t@0", "add@0", "check@0", "a@2");
        assertThat(all.get(all.size() - 1).kind()).isEqualTo(io.runbook.sql.SqlTokens.Kind.STRING);
    }
}
