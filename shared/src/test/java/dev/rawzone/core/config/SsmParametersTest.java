package dev.rawzone.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.rawzone.testkit.EmulatorExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
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
        AtomicInteger calls = new AtomicInteger();
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            boolean first = calls.incrementAndGet() == 1;
            byte[] body = (first
                    ? "{\"__type\":\"InternalServerError\",\"message\":\"try again\"}"
                    : "{\"Parameter\":{\"Name\":\"/p\",\"Value\":\"after a retry\"}}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(first ? 500 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            SsmParameters parameters = new AwsClients(Map.of(
                    "AWS_ENDPOINT_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret",
                    "AWS_REGION", "eu-west-1")).ssmParameters();

            assertEquals("after a retry", parameters.value("/p"));
        } finally {
            server.stop(0);
        }

        assertEquals(2, calls.get());
        authorizations.forEach(authorization -> assertTrue(
                authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                        && authorization.contains("/eu-west-1/ssm/aws4_request"), authorization));
    }
}
