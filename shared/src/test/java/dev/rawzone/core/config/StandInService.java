package dev.rawzone.core.config;

import com.sun.net.httpserver.HttpServer;
import dev.rawzone.core.observe.XRaySubsegments;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An AWS JSON-protocol service on loopback, for the faults the emulator never shows (5xx, throttling, a damaged
 * body): it answers each request as told and keeps what it was sent.
 */
public final class StandInService implements AutoCloseable {
    /** What a call sent: its headers and its body. */
    public record Sent(Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                    .map(h -> h.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** An answer: status, headers and body. */
    public record Reply(int status, Map<String, String> headers, String body) {
        public static Reply json(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "application/x-amz-json-1.0"), body);
        }

        public static Reply error(int status, String type, String message) {
            return json(status, "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
        }
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    /** @param replies the answer to the nth call (from 1), given what it sent */
    public StandInService(Function<Integer, Reply> replies) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            sent.add(new Sent(Map.copyOf(exchange.getRequestHeaders()),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            Reply reply = replies.apply(sent.size());
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(reply.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** Calls of {@code service} sent here, signed for eu-west-1. */
    public AwsJsonCall calls(AwsJsonService service) {
        return new AwsJsonCall(service, UrlConnectionHttpClient.create(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")),
                () -> "eu-west-1", () -> URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                new XRaySubsegments(), Clock.systemUTC());
    }

    public List<Sent> sent() {
        return sent;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
