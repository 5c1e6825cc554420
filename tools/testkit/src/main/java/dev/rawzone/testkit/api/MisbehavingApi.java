package dev.rawzone.testkit.api;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A loopback API whose answers are scripted one request at a time, for the ways a body can misbehave that
 * {@link SampleApi} (which always answers with UTF-8 text of a known length) cannot show: a body that trickles or
 * never ends, bytes in a declared charset, a coded ({@code gzip}, {@code br}) body, a page that echoes the request
 * headers. A request after the script has run out gets a {@code 500}.
 */
public final class MisbehavingApi implements AutoCloseable {
    /** How one request is answered. */
    @FunctionalInterface
    public interface Answer {
        void send(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<Headers> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger hangUps = new AtomicInteger();
    private volatile boolean closed;

    private MisbehavingApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the misbehaving API", e);
        }
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "misbehaving-api");
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static MisbehavingApi start() {
        return new MisbehavingApi();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/records");
    }

    /** Appends answers to the script: the next requests get them in order. */
    public MisbehavingApi then(Answer... answers) {
        script.addAll(Arrays.asList(answers));
        return this;
    }

    /** The headers of every request received, in order. */
    public List<Headers> requests() {
        return List.copyOf(requests);
    }

    public int requestCount() {
        return requests.size();
    }

    /** How many endless bodies the client hung up on (closed the connection of). */
    public int hangUps() {
        return hangUps.get();
    }

    // ------------------------------------------------------------------ answers

    /** {@code status} with these headers and exactly these bytes. */
    public static Answer bytes(int status, Map<String, String> headers, byte[] body) {
        return exchange -> {
            headers.forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        };
    }

    /** A {@code 200} JSON page in UTF-8. */
    public static Answer json(String body) {
        return bytes(200, Map.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8));
    }

    /** An answer whose body is made from the request's headers (an error page that echoes the request). */
    public static Answer echo(int status, String contentType, Function<Headers, String> body) {
        return exchange -> bytes(status, Map.of("Content-Type", contentType),
                body.apply(exchange.getRequestHeaders()).getBytes(StandardCharsets.UTF_8)).send(exchange);
    }

    /**
     * A {@code 200} JSON page that starts well and then never ends, {@code chunk} bytes every {@code every} (a
     * trickle), or as fast as the client reads when {@code every} is zero; until the client hangs up.
     */
    public Answer endless(int chunk, Duration every) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            byte[] padding = new byte[chunk];
            Arrays.fill(padding, (byte) ' ');
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("{\"records\":[".getBytes(StandardCharsets.UTF_8));
                while (!closed) {
                    out.write(padding);
                    out.flush();
                    if (!every.isZero()) {
                        Thread.sleep(every.toMillis());
                    }
                }
            } catch (IOException e) {
                hangUps.incrementAndGet(); // the client stopped reading: what a cut body looks like from here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add(exchange.getRequestHeaders());
            Answer answer = script.poll();
            if (answer == null) {
                bytes(500, Map.of("Content-Type", "application/json"),
                        "{\"error\":\"no answer scripted\"}".getBytes(StandardCharsets.UTF_8)).send(exchange);
            } else {
                answer.send(exchange);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }
}
