package dev.rawzone.functions.s3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.rawzone.functions.s3.S3Fixture.LANDING;
import static dev.rawzone.functions.s3.S3Fixture.RAW;
import static dev.rawzone.functions.s3.S3Fixture.assertCountsAddUp;
import static dev.rawzone.functions.s3.S3Fixture.event;
import static dev.rawzone.functions.s3.S3Fixture.orders;
import static dev.rawzone.functions.s3.S3Fixture.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * template.yaml's BucketEncryption SSE-KMS: both buckets encrypt by default with a KMS key, and S3 then gives an
 * object an ETag that is not its MD5. The emulator keeps MD5 ETags for single-part puts, so the landing object here
 * is a multipart upload, whose ETag is not its MD5 either. The object is announced without a version id, so the
 * ETag is all that identifies the upload (If-Match reads, identity with the sequencer).
 */
class S3KmsEncryptedBucketsTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();
    private static final String KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private S3Fixture fixture;
    private S3IngestHandler handler;

    @BeforeEach
    void setUp() {
        fixture = new S3Fixture(EMULATOR.emulator());
        for (String bucket : List.of(LANDING, RAW)) {
            fixture.s3.putBucketEncryption(e -> e.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                    .bucketKeyEnabled(true).applyServerSideEncryptionByDefault(d -> d
                            .sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID(KEY_ARN)))));
        }
        handler = fixture.handler(Map.of());
    }

    @Test
    void anObjectWhoseETagIsNotItsMd5IsIngestedOnceIntoKmsEncryptedParts() throws Exception {
        byte[] body = utf8(orders(1, 5));
        String eTag = multipartPut("orders/kms.jsonl", body);
        assertNotEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body)), eTag);
        ObjectNode record = fixture.record("ObjectCreated:CompleteMultipartUpload", "orders/kms.jsonl", null, eTag, body.length);

        ObjectNode first = fixture.invoke(handler, event(record));
        ObjectNode again = fixture.invoke(handler, event(record));

        assertEquals(5, first.get("written").asLong(), first.toString());
        assertEquals("ALREADY_INGESTED", again.get("objects").get(0).get("outcome").asText(), again.toString());
        assertEquals(5, again.get("duplicates").asLong());
        assertCountsAddUp(first);
        assertCountsAddUp(again);
        List<String> parts = fixture.keys("raw/");
        assertFalse(parts.isEmpty());
        for (String key : parts) {
            assertEquals(ServerSideEncryption.AWS_KMS, fixture.s3.headObject(h -> h.bucket(RAW).key(key)).serverSideEncryption(), key);
        }
    }

    @Test
    void anUploadReplacingTheAnnouncedOneIsNotReadUnderTheOldETag() {
        String announced = multipartPut("orders/replaced.jsonl", utf8(orders(1, 3)));
        multipartPut("orders/replaced.jsonl", utf8(orders(10, 12)));
        ObjectNode record = fixture.record("ObjectCreated:CompleteMultipartUpload", "orders/replaced.jsonl", null,
                announced, 0);

        ObjectNode report = fixture.invoke(handler, event(record));

        assertEquals(0, report.get("written").asLong(), report.toString());
        assertEquals(List.of(), fixture.rawRecords(), "nothing of the newer upload is written under the old announcement");
    }

    /** A one-part multipart upload; returns the ETag bare, as notifications carry it. */
    private String multipartPut(String key, byte[] body) {
        String uploadId = fixture.s3.createMultipartUpload(c -> c.bucket(LANDING).key(key)).uploadId();
        String partETag = fixture.s3.uploadPart(u -> u.bucket(LANDING).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(body)).eTag();
        return fixture.s3.completeMultipartUpload(c -> c.bucket(LANDING).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(partETag)))).eTag().replace("\"", "");
    }
}
