package io.runbook.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.FormattingOptions;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.TextEdit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LanguageServerTest {
    private static final String RUNBOOK = """
            import "stdlib/catalog"

            runbook "orders" {
              param expected int = 3   # rows before
              phase "add status" {
                sql file "sql/up.sql"
                expect tabel_exists("orders")
                verify { expect scalar $$ select count(*) from orders $$ == expected }
              }
            }
            """;

    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void database() {
        db = new TestDatabase(LanguageServerTest.class);
        db.execute("create table orders (id bigint primary key, customer_email text, total numeric(10,2))");
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private Path write(String text) throws Exception {
        Files.createDirectories(dir.resolve("sql"));
        Files.writeString(dir.resolve("sql/up.sql"), "alter table orders add column status text;\n");
        Path file = dir.resolve("orders.runbook");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void aMisspelledFunctionIsReportedOnItsLineWithTheRightName() throws Exception {
        Path file = write(RUNBOOK);
        try (LspClient client = new LspClient(Map.of(), null)) {
            client.open(file, RUNBOOK);
            List<Diagnostic> ds = client.diagnostics(file).getDiagnostics();
            assertThat(ds).hasSize(1);
            Diagnostic d = ds.get(0);
            assertThat(d.getRange().getStart().getLine()).isEqualTo(6); // line 7, 0-based
            assertThat(d.getRange().getStart().getCharacter()).isEqualTo(11);
            assertThat(d.getRange().getEnd().getCharacter()).isEqualTo(11 + "tabel_exists".length());
            assertThat(d.getSeverity()).isEqualTo(DiagnosticSeverity.Error);
            assertThat(d.getMessage())
                    .contains("unknown function 'tabel_exists'")
                    .contains("did you mean 'table_exists'");

            // Fixed as the user types: the error goes, and lint speaks (the phase still changes a table).
            client.change(file, RUNBOOK.replace("tabel_exists", "table_exists"));
            List<Diagnostic> after = client.diagnostics(file).getDiagnostics();
            assertThat(after).noneMatch(x -> x.getSeverity() == DiagnosticSeverity.Error);
            assertThat(client.shutdown()).isZero();
        }
    }

    @Test
    void aSyntaxErrorIsReportedWhereItIs() throws Exception {
        String broken = RUNBOOK.replace("param expected int = 3", "param expected int 3");
        Path file = write(broken);
        try (LspClient client = new LspClient(Map.of(), null)) {
            client.open(file, broken);
            Diagnostic d = client.diagnostics(file).getDiagnostics().get(0);
            assertThat(d.getRange().getStart().getLine()).isEqualTo(3);
            assertThat(d.getMessage()).contains("'3'");
        }
    }

    @Test
    void completesFunctionsWithSignatureAndDocs() throws Exception {
        String typing = RUNBOOK.replace("    expect tabel_exists(\"orders\")\n", "    expect table_\n");
        Path file = write(typing);
        try (LspClient client = new LspClient(Map.of(), null)) {
            client.open(file, typing);
            List<CompletionItem> items = complete(client, file, 6, "    expect table_".length());
            CompletionItem item = items.stream()
                    .filter(i -> i.getLabel().equals("table_exists"))
                    .findFirst()
                    .orElseThrow();
            assertThat(item.getDetail()).contains("table_exists(name, schema = \"public\")");
            assertThat(items).extracting(CompletionItem::getLabel).allMatch(l -> l.startsWith("table_"));

            // Names the runbook declares, and keywords.
            List<CompletionItem> names = complete(client, file, 6, "    expect ".length());
            assertThat(names)
                    .extracting(CompletionItem::getLabel)
                    .contains("expected", "table_exists", "not", "scalar", "env", "over", "size");
        }
    }

    @Test
    void goesToTheSqlFileTheImportAndTheDeclaration() throws Exception {
        Path file = write(RUNBOOK);
        try (LspClient client = new LspClient(Map.of(), null)) {
            client.open(file, RUNBOOK);
            List<? extends Location> sql = definition(client, file, 5, "    sql file \"sq".length());
            assertThat(sql).hasSize(1);
            assertThat(Path.of(java.net.URI.create(sql.get(0).getUri()))).isEqualTo(dir.resolve("sql/up.sql"));

            List<? extends Location> imp = definition(client, file, 0, "import \"std".length());
            assertThat(Files.readString(Path.of(java.net.URI.create(imp.get(0).getUri()))))
                    .contains("def table_exists(");

            List<? extends Location> param =
                    definition(client, file, 7, RUNBOOK.split("\n")[7].indexOf("== expected") + 5);
            assertThat(param.get(0).getRange().getStart()).isEqualTo(new Position(3, 8));
        }
    }

    @Test
    void hoverShowsParamsAndFunctions() throws Exception {
        String fixed = RUNBOOK.replace("tabel_exists", "table_exists");
        Path file = write(fixed);
        try (LspClient client = new LspClient(Map.of(), null)) {
            client.open(file, fixed);
            assertThat(hover(client, file, 6, 14).getContents().getRight().getValue())
                    .contains("table_exists(name, schema = \"public\")")
                    .contains("stdlib/catalog");
            String line7 = fixed.split("\n")[7];
            assertThat(hover(client, file, 7, line7.indexOf("== expected") + 5)
                            .getContents()
                            .getRight()
                            .getValue())
                    .contains("param expected int = 3");
        }
    }

    @Test
    void outlineShowsPhasesAndBlocks() throws Exception {
        Path file = write(RUNBOOK);
        try (LspClient client = new LspClient(Map.of(), null)) {
            client.open(file, RUNBOOK);
            var symbols = client.server
                    .getTextDocumentService()
                    .documentSymbol(new DocumentSymbolParams(LspClient.doc(file)))
                    .get(30, TimeUnit.SECONDS);
            DocumentSymbol runbook = symbols.get(0).getRight();
            assertThat(runbook.getName()).isEqualTo("orders");
            assertThat(runbook.getRange().getEnd().getLine()).isEqualTo(9);
            assertThat(runbook.getChildren())
                    .extracting(DocumentSymbol::getName)
                    .containsExactly("expected", "add status");
            DocumentSymbol phase = runbook.getChildren().get(1);
            assertThat(phase.getRange().getStart().getLine()).isEqualTo(4);
            assertThat(phase.getRange().getEnd().getLine()).isEqualTo(8);
            assertThat(phase.getChildren()).extracting(DocumentSymbol::getName).containsExactly("verify");
        }
    }

    @Test
    void formatsThroughTheFormatter() throws Exception {
        String messy = RUNBOOK.replace("  param expected int = 3", "param   expected int=3")
                .replace("    sql file", "        sql  file");
        Path file = write(messy);
        try (LspClient client = new LspClient(Map.of(), null)) {
            client.open(file, messy);
            List<? extends TextEdit> edits = client.server
                    .getTextDocumentService()
                    .formatting(new DocumentFormattingParams(LspClient.doc(file), new FormattingOptions(2, true)))
                    .get(30, TimeUnit.SECONDS);
            assertThat(edits).hasSize(1);
            assertThat(edits.get(0).getNewText()).isEqualTo(RUNBOOK);
        }
    }

    @Test
    void completesAndExplainsTablesAndColumnsOfTheDevelopmentDatabase() throws Exception {
        String typing = RUNBOOK.replace("select count(*) from orders", "select o.cu from orders o where t");
        Path file = write(typing);
        try (LspClient client = new LspClient(Map.of(), Map.of("database", db.uri()))) {
            client.open(file, typing);
            String line = typing.split("\n")[7];
            List<CompletionItem> columns = complete(client, file, 7, line.indexOf("o.cu") + 4);
            assertThat(columns).extracting(CompletionItem::getLabel).containsExactly("customer_email");
            assertThat(columns.get(0).getDetail()).isEqualTo("text");
            List<CompletionItem> tables = complete(client, file, 7, line.indexOf("where t") + 7);
            assertThat(tables).extracting(CompletionItem::getLabel).contains("total");

            List<CompletionItem> all = complete(client, file, 7, line.indexOf("from ") + 5);
            assertThat(all).extracting(CompletionItem::getLabel).contains("orders");
            assertThat(hover(client, file, 7, line.indexOf("orders o") + 2)
                            .getContents()
                            .getRight()
                            .getValue())
                    .contains("public.orders")
                    .contains("customer_email")
                    .contains("numeric(10,2)");
        }
    }

    @Test
    void theDatabaseCanComeFromTheEnvironment() throws Exception {
        String typing = RUNBOOK.replace("select count(*) from orders", "select count(*) from or");
        Path file = write(typing);
        try (LspClient client = new LspClient(Map.of("RUNBOOK_LSP_DB", db.uri()), null)) {
            client.open(file, typing);
            String line = typing.split("\n")[7];
            assertThat(complete(client, file, 7, line.indexOf("from or") + 7))
                    .extracting(CompletionItem::getLabel)
                    .contains("orders");
        }
    }

    private static List<CompletionItem> complete(LspClient client, Path file, int line, int col) throws Exception {
        var result = client.server
                .getTextDocumentService()
                .completion(new CompletionParams(LspClient.doc(file), new Position(line, col)))
                .get(30, TimeUnit.SECONDS);
        return result.isLeft() ? result.getLeft() : result.getRight().getItems();
    }

    private static List<? extends Location> definition(LspClient client, Path file, int line, int col)
            throws Exception {
        return client.server
                .getTextDocumentService()
                .definition(new DefinitionParams(LspClient.doc(file), new Position(line, col)))
                .get(30, TimeUnit.SECONDS)
                .getLeft();
    }

    private static Hover hover(LspClient client, Path file, int line, int col) throws Exception {
        return client.server
                .getTextDocumentService()
                .hover(new HoverParams(LspClient.doc(file), new Position(line, col)))
                .get(30, TimeUnit.SECONDS);
    }
}
