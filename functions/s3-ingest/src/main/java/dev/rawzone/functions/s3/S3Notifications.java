package dev.rawzone.functions.s3;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.event.EventJson;
import dev.rawzone.core.event.MalformedEventException;
import dev.rawzone.core.s3.ObjectNotice;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the three shapes an S3 notification reaches the function in: {@code Records[]} straight from S3 (through
 * the serializer the Lambda runtime uses), the {@code s3:TestEvent} S3 sends when a notification is configured,
 * and the same notification routed through EventBridge ({@code detail-type: Object Created}).
 */
final class S3Notifications {
    private static final PojoSerializer<S3Event> S3_EVENTS =
            LambdaEventSerializers.serializerFor(S3Event.class, S3Notifications.class.getClassLoader());

    private final ObjectMapper mapper;

    S3Notifications(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    List<Announcement> parse(byte[] event) {
        JsonNode root = EventJson.object(event, mapper);
        if (root.has("Records")) {
            return fromS3(event, root);
        }
        if ("s3:TestEvent".equals(root.path("Event").asText())) {
            return List.of(new Announcement.Ignore(root.path("Bucket").asText(), "",
                    "s3:TestEvent, sent when a notification is configured; not data"));
        }
        if (root.has("detail-type")) {
            return List.of(fromEventBridge(root));
        }
        throw new MalformedEventException(
                "not an S3 notification: expected Records[], an s3:TestEvent, or an EventBridge event from aws.s3");
    }

    private List<Announcement> fromS3(byte[] event, JsonNode root) {
        if (!root.get("Records").isArray()) {
            throw new MalformedEventException("Records is not an array");
        }
        for (int i = 0; i < root.get("Records").size(); i++) {
            JsonNode object = root.get("Records").get(i).path("s3").path("object");
            requireText(root.get("Records").get(i).path("s3").path("bucket").path("name"), "Records[" + i + "].s3.bucket.name");
            requireText(object.path("key"), "Records[" + i + "].s3.object.key");
        }
        S3Event parsed;
        try {
            parsed = S3_EVENTS.fromJson(new ByteArrayInputStream(event));
        } catch (RuntimeException e) {
            throw new MalformedEventException("S3 notification does not deserialise: " + e.getMessage(), e);
        }
        List<Announcement> announcements = new ArrayList<>();
        for (S3EventNotificationRecord record : parsed.getRecords()) {
            String bucket = record.getS3().getBucket().getName();
            S3ObjectEntity object = record.getS3().getObject();
            String key = object.getUrlDecodedKey();
            String eventName = String.valueOf(record.getEventName());
            if (eventName.startsWith("ObjectCreated:")) {
                announcements.add(created(new ObjectNotice(bucket, key,
                        nonBlank(object.getVersionId()), nonBlank(object.geteTag()),
                        object.getSizeAsLong() == null ? 0 : object.getSizeAsLong(), nonBlank(object.getSequencer()))));
            } else {
                announcements.add(new Announcement.Ignore(bucket, key, ignoredBecause(eventName)));
            }
        }
        return announcements;
    }

    private Announcement fromEventBridge(JsonNode root) {
        String detailType = root.path("detail-type").asText();
        if (!"aws.s3".equals(root.path("source").asText())) {
            throw new MalformedEventException("EventBridge event from " + root.path("source").asText()
                    + ", expected source aws.s3");
        }
        JsonNode detail = root.path("detail");
        String bucket = requireText(detail.path("bucket").path("name"), "detail.bucket.name");
        String key = requireText(detail.path("object").path("key"), "detail.object.key");
        if (!"Object Created".equals(detailType)) {
            return new Announcement.Ignore(bucket, key, ignoredBecause(detailType));
        }
        JsonNode object = detail.path("object");
        return created(new ObjectNotice(bucket, key, nonBlank(object.path("version-id").asText(null)),
                nonBlank(object.path("etag").asText(null)), object.path("size").asLong(0),
                nonBlank(object.path("sequencer").asText(null))));
    }

    private static Announcement created(ObjectNotice notice) {
        return notice.isFolderMarker()
                ? new Announcement.Ignore(notice.bucket(), notice.key(),
                        "a zero-byte folder marker (the key ends with /, as the S3 console creates them): no data")
                : new Announcement.Ingest(notice);
    }

    private static String ignoredBecause(String eventName) {
        if (eventName.startsWith("ObjectRemoved") || eventName.startsWith("Object Deleted")) {
            return eventName + ": a removal is not data; the raw zone keeps what it has";
        }
        return eventName + ": not an object creation";
    }

    private static String requireText(JsonNode node, String path) {
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new MalformedEventException(path + " is missing or not a string");
        }
        return node.asText();
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
