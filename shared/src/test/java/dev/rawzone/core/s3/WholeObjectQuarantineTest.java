package dev.rawzone.core.s3;

import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.ForwardingSink;
import dev.rawzone.core.write.S3ConditionalSink;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.FaultInjectingProxy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server-side copy into quarantine, against the emulator: CopyObject up to a threshold (5 GiB on S3), a
 * multipart copy of byte ranges above it, here with a threshold small enough to exercise it on an 11 MiB object.
 */
class WholeObjectQuarantineTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private static final String LANDING = "quarantine-test-landing";
    private static final String RAW = "quarantine-test-raw";
    private static final long MIB = 1024 * 1024;
    private static final String KEY = "quarantine/s3/orders/dt=2026-11-25/big-0123456789abcdef.object";

    private S3Client s3;
    private byte[] body;
    private ObjectNotice notice;

    @BeforeEach
    void setUp() {
        s3 = client(EMULATOR.emulator().endpoint());
        for (String bucket : new String[] {LANDING, RAW}) {
            s3.createBucket(b -> b.bucket(bucket));
            s3.putBucketVersioning(v -> v.bucket(bucket).versioningConfiguration(c -> c.status("Enabled")));
        }
        body = new byte[(int) (11 * MIB) + 17];
        new Random(7).nextBytes(body);
        PutObjectResponse put = s3.putObject(p -> p.bucket(LANDING).key("orders/big.xlsx"), RequestBody.fromBytes(body));
        notice = new ObjectNotice(LANDING, "orders/big.xlsx", Optional.of(put.versionId()),
                Optional.of(put.eTag().replace("\"", "")), body.length, Optional.empty());
    }

    @Test
    void aboveTheThresholdTheCopyIsMultipartWithTheSameBytesAndMetadata() {
        WholeObjectQuarantine quarantine = multipart(s3, new S3ConditionalSink(s3, RAW));

        assertTrue(quarantine.copy(notice, remainder(), body.length));
        assertFalse(quarantine.copy(notice, remainder(), body.length), "a second run finds the copy");

        HeadObjectResponse copy = s3.headObject(h -> h.bucket(RAW).key(KEY));
        assertTrue(copy.eTag().endsWith("-3\""), "three ranges of at most 5 MiB: " + copy.eTag());
        assertEquals("remainder", copy.metadata().get("covers"));
        assertEquals("42", copy.metadata().get("covers-from-line"));
        assertEquals("gzip stream truncated", copy.metadata().get("reason"));
        assertArrayEquals(body, s3.getObjectAsBytes(g -> g.bucket(RAW).key(KEY)).asByteArray());
    }

    @Test
    void belowTheThresholdItIsOneCopyObject() {
        WholeObjectQuarantine quarantine = new WholeObjectQuarantine(s3, new S3ConditionalSink(s3, RAW), RAW,
                body.length, 5 * MIB);

        assertTrue(quarantine.copy(notice, remainder(), body.length));

        assertFalse(s3.headObject(h -> h.bucket(RAW).key(KEY)).eTag().contains("-"));
        assertArrayEquals(body, s3.getObjectAsBytes(g -> g.bucket(RAW).key(KEY)).asByteArray());
    }

    @Test
    void aCopyWrittenMeanwhileByAnotherRunWinsAndTheUploadIsAborted() {
        S3ConditionalSink sink = new S3ConditionalSink(s3, RAW);
        ConditionalSink checkedTooEarly = new ForwardingSink(sink) {
            @Override
            public Optional<Map<String, String>> metadata(String key) {
                return Optional.empty();
            }
        };
        s3.putObject(p -> p.bucket(RAW).key(KEY), RequestBody.fromString("the other run's copy"));

        assertFalse(multipart(s3, checkedTooEarly).copy(notice, remainder(), body.length));

        assertEquals("the other run's copy", s3.getObjectAsBytes(g -> g.bucket(RAW).key(KEY)).asUtf8String());
        assertEquals(0, s3.listMultipartUploads(l -> l.bucket(RAW)).uploads().size());
    }

    @Test
    void aFailedPartAbortsTheUpload() {
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(EMULATOR.emulator().endpoint())) {
            proxy.fail(request -> request.method().equals("PUT") && String.valueOf(request.query()).contains("partNumber=2"),
                    10, 500, "InternalError");
            S3Client viaProxy = client(proxy.endpoint());

            assertThrows(S3Exception.class, () -> multipart(viaProxy, new S3ConditionalSink(viaProxy, RAW))
                    .copy(notice, remainder(), body.length));
        }

        assertEquals(0, s3.listMultipartUploads(l -> l.bucket(RAW)).uploads().size());
        assertFalse(new S3ConditionalSink(s3, RAW).metadata(KEY).isPresent());
    }

    private static WholeObjectQuarantine multipart(S3Client client, ConditionalSink sink) {
        return new WholeObjectQuarantine(client, sink, RAW, 5 * MIB, 5 * MIB);
    }

    private static UnreadableRemainder remainder() {
        return new UnreadableRemainder(KEY, 42, "gzip stream truncated");
    }

    private static S3Client client(URI endpoint) {
        Map<String, String> env = new HashMap<>(EMULATOR.emulator().environment());
        env.put("AWS_ENDPOINT_URL", endpoint.toString());
        return new AwsClients(env).s3();
    }
}
