package io.runbook.lsp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * An editor as the server sees it: `runbook lsp` started in-process on a loopback socket's streams, spoken to through LSP4J's
 * client launcher, with the diagnostics it publishes collected in order.
 */
final class LspClient implements LanguageClient, AutoCloseable {
    final LanguageServer server;
    private final BlockingQueue<PublishDiagnosticsParams> diagnostics = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> exit;
    private int version;
    private final Socket client;
    private final Socket serverSide;

    LspClient(Map<String, String> env, Object initializationOptions) throws Exception {
        // A socket pair, not java.io pipes: those fail once a thread that wrote to them ends, and LSP4J answers from a
        // pool.
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            serverSide = listener.accept();
        }
        exit = CompletableFuture.supplyAsync(() -> {
            try {
                return RunbookLanguageServer.serve(serverSide.getInputStream(), serverSide.getOutputStream(), env);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        var launcher = LSPLauncher.createClientLauncher(this, client.getInputStream(), client.getOutputStream());
        launcher.startListening();
        server = launcher.getRemoteProxy();
        InitializeParams init = new InitializeParams();
        init.setCapabilities(new ClientCapabilities());
        init.setInitializationOptions(initializationOptions);
        server.initialize(init).get(30, TimeUnit.SECONDS);
        server.initialized(new InitializedParams());
    }

    void open(Path file, String text) {
        server.getTextDocumentService()
                .didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri(file), "runbook", ++version, text)));
    }

    void change(Path file, String text) {
        server.getTextDocumentService()
                .didChange(new DidChangeTextDocumentParams(
                        new VersionedTextDocumentIdentifier(uri(file), ++version),
                        List.of(new TextDocumentContentChangeEvent(text))));
    }

    /** The next diagnostics published for the file (skipping those for other files). */
    PublishDiagnosticsParams diagnostics(Path file) throws InterruptedException {
        while (true) {
            PublishDiagnosticsParams p = diagnostics.poll(60, TimeUnit.SECONDS);
            if (p == null) throw new AssertionError("no diagnostics published for " + file);
            if (p.getUri().equals(uri(file))) return p;
        }
    }

    static String uri(Path file) {
        return file.toUri().toString();
    }

    static TextDocumentIdentifier doc(Path file) {
        return new TextDocumentIdentifier(uri(file));
    }

    /** Shuts the server down as an editor does; returns its exit code. */
    int shutdown() throws Exception {
        server.shutdown().get(30, TimeUnit.SECONDS);
        server.exit();
        return exit.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        client.close();
        serverSide.close();
    }

    @Override
    public void telemetryEvent(Object object) {}

    @Override
    public void publishDiagnostics(PublishDiagnosticsParams p) {
        diagnostics.add(p);
    }

    @Override
    public void showMessage(MessageParams messageParams) {}

    @Override
    public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams requestParams) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void logMessage(MessageParams message) {}
}
