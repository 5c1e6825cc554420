package dev.rawzone.runner.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.testkit.Emulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** S3 event notifications as S3 sends them to Lambda (event version 2.1), built from what PutObject answered. */
public final class S3Events {
    private static final AtomicLong SEQUENCE = new AtomicLong(System.currentTimeMillis() * 1000);

    private S3Events() {}

    /**
     * A key the way S3 writes it into an event: form-URL-encoded UTF-8, so a space is {@code +}, a plus is
     * {@code %2B}, non-ASCII is percent-encoded; slashes stay as they are.
     */
    public static String encodeKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    /** A hex sequencer that grows with each event, as S3's does for a key. */
    public static String nextSequencer() {
        return String.format("%018X", SEQUENCE.incrementAndGet());
    }

    /** An {@code ObjectCreated:Put} event with one record. */
    public static ObjectNode objectCreated(String bucket, String key, long size, String eTag, String versionId,
                                           String sequencer) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode record = nodes.objectNode();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", Emulator.REGION);
        record.put("eventTime", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        record.put("eventName", "ObjectCreated:Put");
        record.putObject("userIdentity").put("principalId", "AWS:AIDALOCALRAWZONEDEMO");
        record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        ObjectNode response = record.putObject("responseElements");
        response.put("x-amz-request-id", UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase());
        response.put("x-amz-id-2", UUID.randomUUID().toString());
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", "rawzone-landing");
        ObjectNode bucketNode = s3.putObject("bucket");
        bucketNode.put("name", bucket);
        bucketNode.putObject("ownerIdentity").put("principalId", "A3LOCALRAWZONE");
        bucketNode.put("arn", "arn:aws:s3:::" + bucket);
        ObjectNode object = s3.putObject("object");
        object.put("key", encodeKey(key));
        object.put("size", size);
        object.put("eTag", eTag.replace("\"", ""));
        if (versionId != null && !versionId.isEmpty() && !versionId.equals("null")) {
            object.put("versionId", versionId);
        }
        object.put("sequencer", sequencer);
        ObjectNode event = nodes.objectNode();
        event.putArray("Records").add(record);
        return event;
    }
}
