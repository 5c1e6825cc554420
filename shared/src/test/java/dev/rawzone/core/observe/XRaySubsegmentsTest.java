package dev.rawzone.core.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.config.AwsJsonCall;
import dev.rawzone.core.config.AwsJsonService;
import dev.rawzone.core.config.SsmParameters;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SDK calls against the emulator, their subsegments received by a stand-in X-Ray daemon on loopback. */
class XRaySubsegmentsTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private static final String TRACE = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void eachCallOfASampledInvocationIsASubsegmentOfItsTraceAndAFailedOneIsMarked() throws IOException {
        try (DatagramSocket daemon = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            daemon.setSoTimeout(30_000); // only so that a missing datagram fails the test instead of hanging it
            AtomicReference<String> header = new AtomicReference<>(TRACE + ";Sampled=0");
            S3Client s3 = client(daemon, header);
            s3.createBucket(b -> b.bucket("traced-bucket")); // not sampled: sends nothing
            header.set(TRACE + ";Sampled=1");

            s3.putObject(p -> p.bucket("traced-bucket").key("k"), RequestBody.fromString("x"));
            assertThrows(NoSuchKeyException.class, () -> s3.getObject(g -> g.bucket("traced-bucket").key("missing")));

            JsonNode put = receive(daemon);
            assertEquals("PutObject", put.at("/aws/operation").asText(), "the unsampled CreateBucket sent nothing");
            assertEquals("subsegment", put.get("type").asText());
            assertEquals("S3", put.get("name").asText());
            assertEquals("aws", put.get("namespace").asText());
            assertEquals("1-67891233-abcdef012345678912345678", put.get("trace_id").asText());
            assertEquals("53995c3f42cd8ad8", put.get("parent_id").asText());
            assertTrue(put.get("id").asText().matches("[0-9a-f]{16}"), put.toString());
            assertEquals(200, put.at("/http/response/status").asInt());
            assertTrue(put.get("end_time").asDouble() >= put.get("start_time").asDouble(), put.toString());
            assertFalse(put.has("error") || put.has("fault"), put.toString());
            JsonNode get = receive(daemon);
            assertEquals("GetObject", get.at("/aws/operation").asText());
            assertEquals(404, get.at("/http/response/status").asInt());
            assertTrue(get.get("error").asBoolean(), get.toString());
            assertEquals(NoSuchKeyException.class.getName(), get.at("/cause/exceptions/0/type").asText());
        }
    }

    @Test
    void anSsmParameterReadOutsideAnSdkClientIsASubsegmentToo() throws IOException {
        try (DatagramSocket daemon = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            daemon.setSoTimeout(30_000); // only so that a missing datagram fails the test instead of hanging it
            XRaySubsegments subsegments = subsegments(daemon, () -> Optional.of(TRACE + ";Sampled=1"));
            SsmParameters parameters = new SsmParameters(new AwsJsonCall(AwsJsonService.SSM,
                    UrlConnectionHttpClient.create(),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")), () -> "us-east-1",
                    () -> EMULATOR.emulator().endpoint(), subsegments, Clock.systemUTC()));

            assertThrows(AwsServiceException.class, () -> parameters.value("/rawzone/not-there"));

            JsonNode get = receive(daemon);
            assertEquals("SSM", get.get("name").asText());
            assertEquals("GetParameter", get.at("/aws/operation").asText());
            assertEquals("1-67891233-abcdef012345678912345678", get.get("trace_id").asText());
            assertEquals("53995c3f42cd8ad8", get.get("parent_id").asText());
            assertEquals(400, get.at("/http/response/status").asInt());
            assertTrue(get.get("error").asBoolean(), get.toString());
            assertTrue(get.get("end_time").asDouble() >= get.get("start_time").asDouble(), get.toString());
            assertEquals(AwsServiceException.class.getName(), get.at("/cause/exceptions/0/type").asText());
        }
    }

    /** {@code _X_AMZN_TRACE_ID} in the JVM's environment is its start-up's trace, never the current invocation's. */
    @Test
    void withoutTheRuntimesTraceHeaderPropertyNothingIsSentWhateverTheEnvironmentSays() throws IOException {
        String property = System.clearProperty("com.amazonaws.xray.traceHeader");
        try (DatagramSocket daemon = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            daemon.setSoTimeout(30_000); // only so that a missing datagram fails the test instead of hanging it
            Map<String, String> env = Map.of("AWS_XRAY_DAEMON_ADDRESS", "udp:127.0.0.1:" + daemon.getLocalPort(),
                    "_X_AMZN_TRACE_ID", TRACE + ";Sampled=1");
            Instant now = Instant.now();

            new XRaySubsegments(env::get).sendCall("SSM", "Untraced", now, now, Optional.empty(), Optional.empty());
            subsegments(daemon, () -> Optional.of(TRACE + ";Sampled=1"))
                    .sendCall("SSM", "Traced", now, now, Optional.empty(), Optional.empty());

            assertEquals("Traced", receive(daemon).at("/aws/operation").asText(), "the untraced call sent nothing");
        } finally {
            if (property != null) {
                System.setProperty("com.amazonaws.xray.traceHeader", property);
            }
        }
    }

    @Test
    void lambdasDaemonAddressFormAndAHeaderAreReadAsXRayWritesThem() {
        assertEquals(2000, XRaySubsegments.daemon("tcp:169.254.79.129:2000 udp:169.254.79.129:2000").orElseThrow()
                .getPort());
        assertEquals("169.254.79.129", XRaySubsegments.daemon("169.254.79.129:2000").orElseThrow().getHostString());
        assertEquals(Optional.empty(), XRaySubsegments.daemon(null));
        assertEquals(Optional.empty(), XRaySubsegments.daemon("nonsense"));
        assertEquals(Map.of("Root", "1-a", "Parent", "b", "Sampled", "1"),
                XRaySubsegments.fields("Root=1-a;Parent=b;Sampled=1"));
    }

    private static XRaySubsegments subsegments(DatagramSocket daemon, Supplier<Optional<String>> header) {
        String address = "udp:127.0.0.1:" + daemon.getLocalPort();
        return new XRaySubsegments(name -> name.equals("AWS_XRAY_DAEMON_ADDRESS") ? address : null, header);
    }

    private static S3Client client(DatagramSocket daemon, AtomicReference<String> header) {
        XRaySubsegments subsegments = subsegments(daemon, () -> Optional.of(header.get()));
        return S3Client.builder().overrideConfiguration(o -> o.addExecutionInterceptor(subsegments))
                .endpointOverride(EMULATOR.emulator().endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    private static JsonNode receive(DatagramSocket daemon) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[64 * 1024], 64 * 1024);
        daemon.receive(packet);
        String[] lines = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8).split("\n", 2);
        assertEquals("{\"format\":\"json\",\"version\":1}", lines[0]);
        return MAPPER.readTree(lines[1]);
    }
}
