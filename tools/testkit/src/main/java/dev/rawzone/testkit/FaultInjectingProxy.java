package dev.rawzone.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP proxy on loopback in front of the emulator that answers chosen requests with an error instead of
 * forwarding them (throttling, 5xx), cuts their response body short (the full {@code Content-Length} announced,
 * the connection closed after fewer bytes), or forwards them and then drops the connection before the answer ends
 * (the call took effect, its caller cannot know), for as many times as a test asks. Everything else passes through
 * unchanged.
 */
public final class FaultInjectingProxy implements AutoCloseable {
    private static final Pattern TABLE_NAME = Pattern.compile("\"TableName\"\\s*:\\s*\"([^\"]*)\"");
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    /** What a rule sees of a request; {@code target} is the {@code X-Amz-Target} header (DynamoDB's operation). */
    public record Request(String method, String path, String query, String target) {
    }

    private record Fault(Predicate<Request> matches, AtomicInteger remaining, int status, String code) {
    }

    /** {@code afterBytes} of the body, then the connection ends; -1: it ends before the status line. */
    private record Cut(Predicate<Request> matches, AtomicInteger remaining, int afterBytes) {
        boolean applies(Request request) {
            return matches.test(request) && remaining.getAndDecrement() > 0;
        }
    }

    private final HttpServer server;
    private final URI target;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<Cut> cuts = new CopyOnWriteArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();
    private final Map<String, Object> conditionalWrites = new ConcurrentHashMap<>();

    public FaultInjectingProxy(URI target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next {@code times} requests that match are answered with {@code status} and an S3-style error code. */
    public void fail(Predicate<Request> matches, int times, int status, String code) {
        faults.add(new Fault(matches, new AtomicInteger(times), status, code));
    }

    /**
     * The next {@code times} responses to matching requests announce their full length but end after
     * {@code afterBytes} bytes of body, the connection closed, as a dropped connection looks to the client.
     */
    public void cutBody(Predicate<Request> matches, int times, int afterBytes) {
        cuts.add(new Cut(matches, new AtomicInteger(times), afterBytes));
    }

    /** The next {@code times} matching requests are forwarded, then the connection ends before the answer does. */
    public void dropAfterForwarding(Predicate<Request> matches, int times) {
        cuts.add(new Cut(matches, new AtomicInteger(times), -1));
    }

    /** Forgets every fault not yet injected. */
    public void clear() {
        faults.clear();
        cuts.clear();
    }

    public int injectedFaults() {
        return injected.get();
    }

    public static Predicate<Request> putTo(String pathPart) {
        return request -> request.method().equals("PUT") && request.path().contains(pathPart);
    }

    public static Predicate<Request> getOf(String pathPart) {
        return request -> request.method().equals("GET") && request.path().contains(pathPart);
    }

    /** DynamoDB calls of one operation ({@code UpdateItem}, {@code GetItem}, ...). */
    public static Predicate<Request> dynamoDb(String operation) {
        return request -> request.target().endsWith("." + operation);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            Request request = new Request(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    target == null ? "" : target);
            byte[] body = exchange.getRequestBody().readAllBytes();
            for (Fault fault : faults) {
                if (fault.matches().test(request) && fault.remaining().getAndDecrement() > 0) {
                    injected.incrementAndGet();
                    byte[] error = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + fault.code()
                            + "</Code><Message>injected by the test</Message></Error>").getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/xml");
                    exchange.sendResponseHeaders(fault.status(), error.length);
                    exchange.getResponseBody().write(error);
                    return;
                }
            }
            Optional<String> serialised = conditionalWrite(exchange, request, body);
            if (serialised.isEmpty()) {
                forward(exchange, request, body);
                return;
            }
            synchronized (conditionalWrites.computeIfAbsent(serialised.get(), any -> new Object())) {
                forward(exchange, request, body);
            }
        }
    }

    /**
     * What a conditional write is serialised on: moto checks {@code If-None-Match} / {@code If-Match} and a DynamoDB
     * {@code ConditionExpression} without holding a lock across the check and the write, so two racing conditional
     * writes to one key can both succeed (two versions under one part key), which S3 and DynamoDB never allow. One
     * at a time per S3 key (per table for DynamoDB, whose key is inside the body) makes the emulator behave as they do.
     */
    private static Optional<String> conditionalWrite(HttpExchange exchange, Request request, byte[] body) {
        var headers = exchange.getRequestHeaders();
        if ((request.method().equals("PUT") || request.method().equals("POST"))
                && (headers.containsKey("If-None-Match") || headers.containsKey("If-Match"))) {
            return Optional.of("s3 " + request.path());
        }
        if (!request.target().isEmpty() && new String(body, StandardCharsets.UTF_8).contains("\"ConditionExpression\"")) {
            Matcher table = TABLE_NAME.matcher(new String(body, StandardCharsets.UTF_8));
            return Optional.of("dynamodb " + (table.find() ? table.group(1) : ""));
        }
        return Optional.empty();
    }

    private void forward(HttpExchange exchange, Request request, byte[] body) throws IOException {
        HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(request.path()
                        + (request.query() == null ? "" : "?" + request.query())))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> forward.header(name, value));
            }
        });
        HttpResponse<InputStream> response;
        try {
            response = client.send(forward.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        response.headers().map().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] responseBody;
        try (InputStream in = response.body()) {
            responseBody = in.readAllBytes();
        }
        boolean head = exchange.getRequestMethod().equals("HEAD");
        if (head) {
            response.headers().firstValue("content-length")
                    .ifPresent(length -> exchange.getResponseHeaders().set("Content-Length", length));
        }
        for (Cut cut : cuts) {
            if (!head && cut.applies(request)) {
                injected.incrementAndGet();
                if (cut.afterBytes() < 0) {
                    return; // closed before the status line: the request took effect, the client gets no answer
                }
                exchange.sendResponseHeaders(response.statusCode(), responseBody.length);
                OutputStream out = exchange.getResponseBody();
                out.write(responseBody, 0, Math.min(cut.afterBytes(), responseBody.length));
                out.flush();
                // not closed: closing the exchange with bytes missing makes the server drop the connection
                return;
            }
        }
        exchange.sendResponseHeaders(response.statusCode(), head || responseBody.length == 0 ? -1 : responseBody.length);
        if (!head && responseBody.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(responseBody);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
