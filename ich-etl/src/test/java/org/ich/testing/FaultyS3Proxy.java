package org.ich.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy on 127.0.0.1 in front of a real S3-API server that misbehaves the way object stores do under load:
 * it answers 503 SlowDown or drops the connection for chosen objects, and it can stop listening after a number of
 * object reads (a server that goes away mid-run) and start again on the same port. Everything else it forwards.
 */
public final class FaultyS3Proxy implements AutoCloseable {
    public enum Fault { SLOW_DOWN, DROP_CONNECTION }

    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive");
    private static final byte[] SLOW_DOWN = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
            + "<Message>Please reduce your request rate.</Message><RequestId>fault-proxy</RequestId></Error>")
            .getBytes(StandardCharsets.UTF_8);

    private final URI target;
    private int port;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final AtomicInteger objectReads = new AtomicInteger();
    private final AtomicInteger faultsServed = new AtomicInteger();
    private volatile int stopAfterObjectReads = -1;
    private HttpServer server;
    private ExecutorService pool;

    private FaultyS3Proxy(URI target) throws IOException {
        this.target = target;
        listen();
    }

    /** @param target the real server, e.g. http://127.0.0.1:9090 */
    public static FaultyS3Proxy start(String target) throws IOException {
        return new FaultyS3Proxy(URI.create(target));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Requests for objects whose key contains {@code keyPart} get {@code fault}, until {@link #heal}. */
    public void fail(String keyPart, Fault fault) {
        faults.put(keyPart, fault);
    }

    public void heal(String keyPart) {
        faults.remove(keyPart);
    }

    /** After {@code n} more object reads are forwarded, the proxy stops listening: connections are refused. */
    public void stopAfterObjectReads(int n) {
        objectReads.set(0);
        stopAfterObjectReads = n;
    }

    /** Listens again on the same port, as a restarted server would. */
    public synchronized void restart() throws IOException {
        if (server != null) return;
        listen();
    }

    public int faultsServed() {
        return faultsServed.get();
    }

    public synchronized boolean listening() {
        return server != null;
    }

    /** Binds the port of the first start (any free one then) again on a restart. */
    private synchronized void listen() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        port = server.getAddress().getPort();
        pool = Executors.newCachedThreadPool();
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    private synchronized void stopListening() {
        if (server == null) return;
        server.stop(0);
        pool.shutdownNow();
        server = null;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            boolean objectRequest = ex.getRequestURI().getRawQuery() == null && path.chars().filter(c -> c == '/').count() > 1;
            Fault fault = objectRequest ? faultFor(path) : null;
            if (fault == Fault.DROP_CONNECTION) {
                faultsServed.incrementAndGet();
                return; // closing an exchange before its headers are sent closes the connection
            }
            if (fault == Fault.SLOW_DOWN) {
                faultsServed.incrementAndGet();
                ex.getResponseHeaders().set("Content-Type", "application/xml");
                boolean head = ex.getRequestMethod().equals("HEAD");
                ex.sendResponseHeaders(503, head ? -1 : SLOW_DOWN.length);
                if (!head) ex.getResponseBody().write(SLOW_DOWN);
                return;
            }
            forward(ex);
            if (objectRequest && ex.getRequestMethod().equals("GET") && stopAfterObjectReads >= 0
                    && objectReads.incrementAndGet() >= stopAfterObjectReads) {
                stopAfterObjectReads = -1;
                new Thread(this::stopListening, "fault-proxy-stop").start();
            }
        }
    }

    private Fault faultFor(String path) {
        for (var e : faults.entrySet()) if (path.contains(e.getKey())) return e.getValue();
        return null;
    }

    private void forward(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String pathAndQuery = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + pathAndQuery)).timeout(Duration.ofSeconds(30))
                .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (var h : ex.getRequestHeaders().entrySet()) {
            if (NOT_FORWARDED.contains(h.getKey().toLowerCase())) continue;
            for (String v : h.getValue()) request.header(h.getKey(), v);
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        for (var h : response.headers().map().entrySet()) {
            String name = h.getKey().toLowerCase();
            if (name.startsWith(":") || NOT_FORWARDED.contains(name) && !(name.equals("content-length") && isHead(ex))) continue;
            ex.getResponseHeaders().put(h.getKey(), List.copyOf(h.getValue()));
        }
        byte[] out = response.body();
        if (isHead(ex) || out.length == 0) {
            ex.sendResponseHeaders(response.statusCode(), -1);
        } else {
            ex.sendResponseHeaders(response.statusCode(), out.length);
            ex.getResponseBody().write(out);
        }
    }

    private static boolean isHead(HttpExchange ex) {
        return ex.getRequestMethod().equals("HEAD");
    }

    @Override
    public void close() {
        stopListening();
    }
}
