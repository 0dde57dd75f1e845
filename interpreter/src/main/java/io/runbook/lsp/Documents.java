package io.runbook.lsp;

import io.runbook.fmt.Formatter;
import io.runbook.source.Pos;
import io.runbook.source.RunbookException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.TextDocumentService;

/** The open buffers and everything asked about them. Checking runs on one worker thread, newest text only. */
final class Documents implements TextDocumentService {
    private record Doc(Path path, String text, int version) {}

    private final Map<String, Doc> docs = new ConcurrentHashMap<>();
    /** For each buffer, the other files it last published problems on (imported libraries, SQL files). */
    private final Map<String, Set<String>> published = new ConcurrentHashMap<>();

    private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "runbook-lsp-check");
        t.setDaemon(true);
        return t;
    });
    private volatile LanguageClient client;
    private volatile DevDatabase database;

    void client(LanguageClient client) {
        this.client = client;
    }

    void database(DevDatabase database) {
        this.database = database;
    }

    void refreshDatabase() {
        DevDatabase db = database;
        if (db != null) db.refresh();
    }

    void close() {
        checker.shutdownNow();
    }

    @Override
    public void didOpen(DidOpenTextDocumentParams params) {
        var d = params.getTextDocument();
        update(d.getUri(), d.getText(), d.getVersion());
    }

    @Override
    public void didChange(DidChangeTextDocumentParams params) {
        var changes = params.getContentChanges();
        if (changes.isEmpty()) return;
        update(
                params.getTextDocument().getUri(),
                changes.get(changes.size() - 1).getText(),
                params.getTextDocument().getVersion());
    }

    @Override
    public void didClose(DidCloseTextDocumentParams params) {
        String uri = params.getTextDocument().getUri();
        docs.remove(uri);
        Set<String> others = published.remove(uri);
        if (client == null) return;
        client.publishDiagnostics(new PublishDiagnosticsParams(uri, List.of()));
        if (others != null) others.forEach(o -> client.publishDiagnostics(new PublishDiagnosticsParams(o, List.of())));
    }

    @Override
    public void didSave(DidSaveTextDocumentParams params) {
        refreshDatabase(); // a saved migration may have been applied to the development database since
        Doc d = docs.get(params.getTextDocument().getUri());
        if (d != null) update(params.getTextDocument().getUri(), d.text(), d.version());
    }

    private void update(String uri, String text, int version) {
        Doc doc = new Doc(path(uri), text, version);
        docs.put(uri, doc);
        checker.execute(() -> {
            if (docs.get(uri) != doc) return; // a newer text is waiting: check that one
            publish(uri, doc);
        });
    }

    private void publish(String uri, Doc doc) {
        Analysis.Result result;
        try {
            result = Analysis.of(doc.path(), doc.text());
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Documents.class).warn("runbook lsp: checking {} failed", uri, e);
            return;
        }
        Map<String, List<Diagnostic>> byUri = new LinkedHashMap<>();
        byUri.put(uri, new ArrayList<>());
        Text own = new Text(doc.text());
        for (Analysis.Problem p : result.problems()) {
            Pos pos = p.pos();
            boolean here = pos == null
                    || pos.file().path() == null
                    || samePath(pos.file().path(), doc.path());
            String target = here ? uri : pos.file().path().toUri().toString();
            Diagnostic d = new Diagnostic();
            d.setRange(
                    pos == null
                            ? own.range(0, 0)
                            : here && pos.file().path() == null
                                    ? own.range(0, 0)
                                    : (here ? own : new Text(pos.file().text())).at(pos, p.wholeLine()));
            d.setMessage(pos != null && pos.file().path() == null ? pos + ": " + p.message() : p.message());
            d.setSeverity(
                    switch (p.level()) {
                        case ERROR -> DiagnosticSeverity.Error;
                        case WARNING -> DiagnosticSeverity.Warning;
                        case INFO -> DiagnosticSeverity.Information;
                    });
            d.setSource("runbook");
            if (p.code() != null) d.setCode(p.code());
            byUri.computeIfAbsent(target, k -> new ArrayList<>()).add(d);
        }
        LanguageClient c = client;
        if (c == null || docs.get(uri) != doc) return;
        Set<String> others = new HashSet<>(byUri.keySet());
        others.remove(uri);
        Set<String> before = published.put(uri, others);
        if (before != null) for (String o : before) byUri.putIfAbsent(o, List.of());
        byUri.forEach((u, ds) ->
                c.publishDiagnostics(new PublishDiagnosticsParams(u, ds, u.equals(uri) ? doc.version() : null)));
    }

    private static boolean samePath(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    static Path path(String uri) {
        try {
            return Path.of(URI.create(uri));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Path.of(
                    URI.create(uri).getPath() == null
                            ? "untitled.runbook"
                            : URI.create(uri).getPath());
        }
    }

    private <T> CompletableFuture<T> with(String uri, java.util.function.Function<Doc, T> f, T none) {
        Doc d = docs.get(uri);
        if (d == null) return CompletableFuture.completedFuture(none);
        return CompletableFuture.supplyAsync(() -> f.apply(d));
    }

    @Override
    public CompletableFuture<Either<List<CompletionItem>, CompletionList>> completion(CompletionParams params) {
        return with(
                params.getTextDocument().getUri(),
                d -> {
                    Outline o = new Outline(d.text());
                    return Either.forRight(new CompletionList(
                            false, Completions.at(d.path(), o, o.text.offset(params.getPosition()), database)));
                },
                Either.forLeft(List.of()));
    }

    @Override
    public CompletableFuture<Hover> hover(HoverParams params) {
        return with(
                params.getTextDocument().getUri(),
                d -> {
                    Outline o = new Outline(d.text());
                    return Navigation.hover(d.path(), o, o.text.offset(params.getPosition()), database);
                },
                null);
    }

    @Override
    public CompletableFuture<Either<List<? extends Location>, List<? extends LocationLink>>> definition(
            DefinitionParams params) {
        return with(
                params.getTextDocument().getUri(),
                d -> {
                    Outline o = new Outline(d.text());
                    return Either.forLeft(Navigation.definition(d.path(), o, o.text.offset(params.getPosition())));
                },
                Either.forLeft(List.of()));
    }

    @Override
    public CompletableFuture<List<Either<SymbolInformation, DocumentSymbol>>> documentSymbol(
            DocumentSymbolParams params) {
        return with(
                params.getTextDocument().getUri(),
                d -> Symbols.of(new Outline(d.text())).stream()
                        .map(Either::<SymbolInformation, DocumentSymbol>forRight)
                        .toList(),
                List.of());
    }

    @Override
    public CompletableFuture<List<? extends TextEdit>> formatting(DocumentFormattingParams params) {
        return with(
                params.getTextDocument().getUri(),
                d -> {
                    try {
                        String formatted = Formatter.format(d.path().toString(), d.path(), d.text());
                        if (formatted.equals(d.text())) return List.<TextEdit>of();
                        return List.of(new TextEdit(new Text(d.text()).all(), formatted));
                    } catch (RunbookException e) {
                        return List
                                .<TextEdit>of(); // a buffer that does not parse is left alone; its diagnostic says why
                    }
                },
                List.of());
    }
}
