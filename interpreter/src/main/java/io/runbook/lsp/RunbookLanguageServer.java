package io.runbook.lsp;

import com.google.gson.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.lsp4j.CompletionOptions;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

/**
 * `runbook lsp`: the language server. The development database for SQL completion comes from the client's
 * initializationOptions {"database": URL} (the VS Code setting runbook.database), else from RUNBOOK_LSP_DB.
 */
public final class RunbookLanguageServer implements LanguageServer, LanguageClientAware {
    /** LSP4J logs through java.util.logging to stderr; a client closing the stream is not news. Held: JUL keeps loggers weakly. */
    private static final java.util.logging.Logger JSONRPC =
            java.util.logging.Logger.getLogger("org.eclipse.lsp4j.jsonrpc");

    static {
        JSONRPC.setLevel(java.util.logging.Level.WARNING);
    }

    private final Documents documents;
    private final Map<String, String> env;
    private int exitCode = 1; // exit without shutdown is an error, as the protocol says
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();

    RunbookLanguageServer(Map<String, String> env) {
        this.env = env;
        this.documents = new Documents();
        String url = env.get("RUNBOOK_LSP_DB");
        if (url != null && !url.isBlank()) documents.database(new DevDatabase(url, env));
    }

    /** Serves one client on the streams until it says exit or closes them; returns the process's exit code. */
    public static int serve(InputStream in, OutputStream out, Map<String, String> env) {
        RunbookLanguageServer server = new RunbookLanguageServer(env);
        Launcher<LanguageClient> launcher = LSPLauncher.createServerLauncher(server, in, out);
        server.connect(launcher.getRemoteProxy());
        var listening = launcher.startListening();
        try {
            CompletableFuture.anyOf(server.exited, CompletableFuture.runAsync(() -> {
                        try {
                            listening.get();
                        } catch (InterruptedException | ExecutionException e) {
                            Thread.currentThread().interrupt();
                        }
                    }))
                    .get();
        } catch (InterruptedException | ExecutionException e) {
            Thread.currentThread().interrupt();
        }
        return server.exited.getNow(server.exitCode);
    }

    @Override
    public void connect(LanguageClient client) {
        documents.client(client);
    }

    @Override
    public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
        if (params.getInitializationOptions() instanceof JsonObject options
                && options.has("database")
                && options.get("database").isJsonPrimitive()
                && !options.get("database").getAsString().isBlank()) {
            documents.database(new DevDatabase(options.get("database").getAsString(), env));
        }
        ServerCapabilities c = new ServerCapabilities();
        c.setTextDocumentSync(TextDocumentSyncKind.Full);
        c.setCompletionProvider(new CompletionOptions(false, java.util.List.of(".", ":", "\"")));
        c.setHoverProvider(true);
        c.setDefinitionProvider(true);
        c.setDocumentSymbolProvider(true);
        c.setDocumentFormattingProvider(true);
        return CompletableFuture.completedFuture(new InitializeResult(c, new ServerInfo("runbook", version())));
    }

    private static String version() {
        java.util.Properties p = new java.util.Properties();
        try (var in = RunbookLanguageServer.class.getResourceAsStream("/io/runbook/version.properties")) {
            if (in != null) p.load(in);
        } catch (java.io.IOException e) {
            // the version is only shown in the editor's log
        }
        return p.getProperty("version", "dev");
    }

    @Override
    public CompletableFuture<Object> shutdown() {
        exitCode = 0;
        documents.close();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void exit() {
        exited.complete(exitCode);
    }

    @Override
    public TextDocumentService getTextDocumentService() {
        return documents;
    }

    @Override
    public WorkspaceService getWorkspaceService() {
        return new WorkspaceService() {
            @Override
            public void didChangeConfiguration(DidChangeConfigurationParams params) {}

            @Override
            public void didChangeWatchedFiles(DidChangeWatchedFilesParams params) {
                documents.refreshDatabase();
            }
        };
    }
}
