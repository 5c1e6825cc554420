package dev.rawzone.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rawzone.core.observe.XRaySubsegments;
import dev.rawzone.testkit.EmulatorExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

class SsmParametersTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    @Test
    void readsAStringParameterAsTheSsmClientStoredIt() {
        AwsClients clients = new AwsClients(EMULATOR.emulator().environment());
        String document = "{\"sources\": [{\"name\": \"contacts\", \"note\": \"caf\u00e9 \\u00e9 1.50\"}]}";
        try (SsmClient ssm = clients.ssm()) {
            ssm.putParameter(p -> p.name("/rawzone/pull-sources").type(ParameterType.STRING).value(document));
        }

        assertEquals(document, clients.ssmParameters().value("/rawzone/pull-sources"));
    }

    @Test
    void decryptsASecureString() {
        AwsClients clients = new AwsClients(EMULATOR.emulator().environment());
        try (SsmClient ssm = clients.ssm()) {
            ssm.putParameter(p -> p.name("/rawzone/token").type(ParameterType.SECURE_STRING).value("s3cr3t"));
        }

        assertEquals("s3cr3t", clients.ssmParameters().value("/rawzone/token"));
    }

    @Test
    void aMissingParameterFailsWithSsmsErrorCode() {
        SsmParameters parameters = new AwsClients(EMULATOR.emulator().environment()).ssmParameters();

        AwsServiceException e = assertThrows(AwsServiceException.class, () -> parameters.value("/rawzone/not-there"));

        assertEquals(SsmParameters.PARAMETER_NOT_FOUND, e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
    }

    /** The emulator never fails a read, so a loopback server answers 500 once to show the SDK's retry strategy. */
    @Test
    void aServerErrorIsRetriedAndEachAttemptIsSignedForSsm() throws IOException {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        try (Loopback ssm = new Loopback((call, exchange) -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            return call == 1 ? new Reply(500, "{\"__type\":\"InternalServerError\",\"message\":\"try again\"}")
                    : VALUE;
        })) {
            assertEquals("after a retry", ssm.parameters().value("/p"));
            assertEquals(2, ssm.calls());
        }

        authorizations.forEach(authorization -> assertTrue(
                authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                        && authorization.contains("/eu-west-1/ssm/aws4_request"), authorization));
    }

    /** The standard strategy's token bucket (500, 5 a retry) is only refilled by the successes it is told of. */
    @Test
    void aWarmContainersRetriedCallsDoNotDrainTheRetryBudget() throws IOException {
        try (Loopback ssm = new Loopback((call, exchange) -> call % 2 == 1 ? new Reply(500, "{}") : VALUE)) {
            SsmParameters parameters = ssm.parameters();
            for (int i = 0; i < 150; i++) {
                assertEquals("after a retry", parameters.value("/p"), "call " + i);
            }
            assertEquals(300, ssm.calls());
        }
    }

    @Test
    void aServerErrorThatIsNotJsonIsStillAnSsmErrorAndRetried() throws IOException {
        try (Loopback ssm = new Loopback((call, exchange) -> switch (call) {
            case 1 -> new Reply(502, "<html><body>Bad Gateway</body></html>");
            case 2 -> new Reply(429, "Too Many Requests");
            case 3 -> VALUE;
            default -> new Reply(403, "<html>Forbidden</html>");
        })) {
            SsmParameters parameters = ssm.parameters();
            assertEquals("after a retry", parameters.value("/p"));

            AwsServiceException forbidden = assertThrows(AwsServiceException.class, () -> parameters.value("/p"));
            assertEquals(403, forbidden.statusCode());
            assertEquals(4, ssm.calls(), "a 403 is not retried");
        }
    }

    @Test
    void aSuccessWithoutAValueFailsNamingTheParameter() throws IOException {
        try (Loopback ssm = new Loopback((call, exchange) -> new Reply(200, "{\"Parameter\":{\"Name\":\"/p\"}}"))) {
            SdkClientException e = assertThrows(SdkClientException.class, () -> ssm.parameters().value("/p"));

            assertTrue(e.getMessage().contains("/p"), e.getMessage());
        }
    }

    /** SSM refuses a signature more than 5 minutes off its clock; the retry is signed by SSM's Date instead. */
    @Test
    void aRetryAfterAClockSkewErrorIsSignedWithSsmsTime() throws IOException {
        List<Instant> signedAt = new CopyOnWriteArrayList<>();
        try (Loopback ssm = new Loopback((call, exchange) -> {
            Instant signed = SIGV4_TIME.parse(exchange.getRequestHeaders().getFirst("X-Amz-Date"), Instant::from);
            signedAt.add(signed);
            return Duration.between(signed, Instant.now()).abs().compareTo(Duration.ofMinutes(5)) <= 0 ? VALUE
                    : new Reply(400, "{\"__type\":\"InvalidSignatureException\",\"message\":\"Signature expired\"}");
        })) {
            Clock anHourAhead = Clock.offset(Clock.systemUTC(), Duration.ofHours(1)); // SSM's Date is the true time

            assertEquals("after a retry", ssm.parameters(anHourAhead).value("/p"));
            assertEquals(2, ssm.calls(), signedAt.toString());
        }
    }

    private static final Reply VALUE = new Reply(200, "{\"Parameter\":{\"Name\":\"/p\",\"Value\":\"after a retry\"}}");
    private static final DateTimeFormatter SIGV4_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private record Reply(int status, String body) {
    }

    /** A stand-in SSM on loopback (the emulator never fails a read), answering its nth call as told. */
    private static final class Loopback implements AutoCloseable {
        private final AtomicInteger calls = new AtomicInteger();
        private final HttpServer server;

        Loopback(BiFunction<Integer, HttpExchange, Reply> replies) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                Reply reply = replies.apply(calls.incrementAndGet(), exchange);
                byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(reply.status(), body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        SsmParameters parameters() {
            return new AwsClients(Map.of(
                    "AWS_ENDPOINT_URL", endpoint().toString(),
                    "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret",
                    "AWS_REGION", "eu-west-1")).ssmParameters();
        }

        SsmParameters parameters(Clock clock) {
            return new SsmParameters(new AwsJsonCall(AwsJsonService.SSM, UrlConnectionHttpClient.create(),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")),
                    () -> "eu-west-1", this::endpoint, new XRaySubsegments(), clock));
        }

        private URI endpoint() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        int calls() {
            return calls.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
