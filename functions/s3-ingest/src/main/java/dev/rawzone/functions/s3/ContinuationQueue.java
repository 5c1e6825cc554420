package dev.rawzone.functions.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.s3.ObjectNotice;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The queue through which an invocation that ran out of time hands an object to the next one. A message is the
 * object's S3 notification again (an {@code ObjectCreated:Continuation} record): where to go on from is not in the
 * message but in the object's recorded progress, so a message delivered twice, or the original notification
 * re-delivered meanwhile, reads on from the furthest recorded stop and writes nothing twice.
 */
final class ContinuationQueue {
    static final String EVENT_NAME = "ObjectCreated:Continuation";

    private final SqsClient sqs;
    private final String queueUrl;
    private final ObjectMapper mapper;

    ContinuationQueue(SqsClient sqs, String queueUrl, ObjectMapper mapper) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.mapper = mapper;
    }

    void handOff(ObjectNotice notice) {
        sqs.sendMessage(send -> send.queueUrl(queueUrl).messageBody(notification(notice)));
    }

    /** True for an event the queue's event source mapping delivers (SQS records), false for S3's own events. */
    static boolean delivers(JsonNode event) {
        JsonNode records = event.path("Records");
        return records.isArray() && !records.isEmpty() && "aws:sqs".equals(records.get(0).path("eventSource").asText());
    }

    /** The notifications the SQS records carry, in order. */
    static List<byte[]> notifications(JsonNode event) {
        List<byte[]> bodies = new ArrayList<>();
        event.path("Records").forEach(record -> bodies.add(record.path("body").asText().getBytes(StandardCharsets.UTF_8)));
        return bodies;
    }

    private String notification(ObjectNotice notice) {
        ObjectNode event = mapper.createObjectNode();
        ObjectNode record = event.putArray("Records").addObject();
        // the Lambda serializer of S3 events wants an eventTime: when the object was handed on
        record.put("eventVersion", "2.1").put("eventSource", "aws:s3").put("eventName", EVENT_NAME)
                .put("eventTime", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.putObject("bucket").put("name", notice.bucket());
        ObjectNode object = s3.putObject("object");
        object.put("key", notice.encodedKey())
                .put("size", notice.size());
        notice.eTag().ifPresent(eTag -> object.put("eTag", eTag));
        notice.versionId().ifPresent(version -> object.put("versionId", version));
        notice.sequencer().ifPresent(sequencer -> object.put("sequencer", sequencer));
        return event.toString();
    }
}
