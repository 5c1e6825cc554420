package dev.rawzone.functions.s3;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sample events under {@code events/} (for {@code sam local invoke} and {@code ./ingest invoke}) load through
 * the Lambda runtime's own serializer and carry what a handler needs; their ETags and sizes match the sample
 * objects under {@code events/objects/<key>}, so the events and the objects cannot drift apart.
 */
class SampleEventsTest {

  /** Surefire runs with the module directory as working directory. */
  private static final Path EVENTS = Path.of("..", "..", "events");

  private static final Path OBJECTS = EVENTS.resolve("objects");
  private static final String BUCKET = "rawzone-landing-123456789012-us-east-1";
  private static final String BUCKET_ARN = "arn:aws:s3:::" + BUCKET;
  private static final String ORDERS = "orders/2026-11-25/orders-001.jsonl";
  private static final String CUSTOMERS = "customers/2026-11-25/customers-001.csv";
  private static final String SPACED = "orders/2026-11-25/my file+1 é.jsonl";
  private static final String SPACED_ENCODED = "orders/2026-11-25/my+file%2B1+%C3%A9.jsonl";

  private static S3Event s3Event(String file) {
    return EventLoader.loadS3Event(EVENTS.resolve(file).toString());
  }

  private static ScheduledEvent eventBridgeEvent(String file) {
    return EventLoader.loadScheduledEvent(EVENTS.resolve(file).toString());
  }

  @Test
  void singlePutCarriesWhatTheHandlerNeeds() throws IOException {
    List<S3EventNotificationRecord> records = s3Event("s3-put.json").getRecords();

    assertEquals(1, records.size());
    assertObjectCreated(records.get(0), ORDERS, ORDERS, "0067441F8A3C2B1D40");
  }

  @Test
  void multiRecordEventCarriesBothObjectsInOrder() throws IOException {
    List<S3EventNotificationRecord> records = s3Event("s3-multi-record.json").getRecords();

    assertEquals(2, records.size());
    assertObjectCreated(records.get(0), ORDERS, ORDERS, "0067441F8A3C2B1D40");
    assertObjectCreated(records.get(1), CUSTOMERS, CUSTOMERS, "0067441F8A4D5E6F70");
  }

  @Test
  void keyWithSpacePlusAndUnicodeIsFormEncodedAsS3SendsIt() throws IOException {
    S3EventNotificationRecord record = s3Event("s3-key-with-spaces.json").getRecords().get(0);

    assertObjectCreated(record, SPACED_ENCODED, SPACED, "0067441F8B0A1B2C3D");
    assertEquals(SPACED, record.getS3().getObject().getUrlDecodedKey(), "the events library's own decoding");
  }

  @Test
  void objectRemovedIsNotDataAndHasNoContentFields() {
    S3EventNotificationRecord record = s3Event("s3-object-removed.json").getRecords().get(0);
    S3ObjectEntity object = record.getS3().getObject();

    assertAll(
        () -> assertEquals("ObjectRemoved:Delete", record.getEventName()),
        () -> assertEquals(BUCKET, record.getS3().getBucket().getName()),
        () -> assertEquals(ORDERS, object.getKey()),
        () -> assertEquals("0067441F9C1D2E3F4A", object.getSequencer()),
        () -> assertAbsent(object.geteTag()),
        () -> assertAbsent(object.getVersionId()),
        () -> assertEquals(0L, object.getSizeAsLong() == null ? 0L : object.getSizeAsLong()));
  }

  @Test
  void testEventIsTheMessageS3SendsWhenANotificationIsConfigured() throws IOException {
    JsonNode json = new ObjectMapper().readTree(EVENTS.resolve("s3-test-event.json").toFile());

    assertAll(
        () -> assertEquals("Amazon S3", json.path("Service").asText()),
        () -> assertEquals("s3:TestEvent", json.path("Event").asText()),
        () -> assertEquals(BUCKET, json.path("Bucket").asText()),
        () -> assertFalse(json.path("Time").asText().isEmpty()),
        () -> assertFalse(json.path("RequestId").asText().isEmpty()),
        () -> assertFalse(json.path("HostId").asText().isEmpty()),
        () -> assertFalse(json.has("Records")));
    // A handler typed on S3Event receives it as an event without records; only the raw JSON names the test event.
    List<S3EventNotificationRecord> records = s3Event("s3-test-event.json").getRecords();
    assertTrue(records == null || records.isEmpty(), "records of the test event: " + records);
  }

  @Test
  void malformedEventHasARecordWithoutObjectKey() throws IOException {
    S3EventNotificationRecord first = s3Event("malformed.json").getRecords().get(0);

    assertEquals("ObjectCreated:Put", first.getEventName());
    assertNotNull(first.getS3().getObject());
    assertAbsent(first.getS3().getObject().getKey());
    assertEquals(md5(ORDERS), first.getS3().getObject().geteTag(), "only the key is missing");
  }

  @Test
  void eventBridgeObjectCreatedCarriesTheKeyUnencoded() {
    ScheduledEvent event = eventBridgeEvent("eventbridge-object-created.json");

    assertAll(
        () -> assertEquals("Object Created", event.getDetailType()),
        () -> assertEquals("aws.s3", event.getSource()),
        () -> assertEquals("123456789012", event.getAccount()),
        () -> assertEquals("us-east-1", event.getRegion()),
        () -> assertEquals(List.of(BUCKET_ARN), event.getResources()),
        () -> assertEquals(BUCKET, bucketOf(event)),
        () -> assertEquals(ORDERS, objectOf(event).get("key")),
        () -> assertEquals("0067441F8A3C2B1D40", objectOf(event).get("sequencer")),
        () -> assertEquals(md5(ORDERS), objectOf(event).get("etag")),
        () -> assertFalse(objectOf(event).containsKey("version-id")),
        () -> assertEquals("PutObject", event.getDetail().get("reason")));

    ScheduledEvent spaced = eventBridgeEvent("eventbridge-key-with-spaces.json");
    assertEquals(SPACED, objectOf(spaced).get("key"), "EventBridge keys are not URL-encoded");
  }

  /** Each sample object is named by at least one event, and every event naming it has its MD5 and size. */
  @Test
  void sampleObjectsMatchTheETagsAndSizesOfTheEventsThatNameThem() throws IOException {
    assertEquals(
        "UTF-8",
        System.getProperty("sun.jnu.encoding"),
        "file names are decoded with sun.jnu.encoding; run under a UTF-8 locale (LANG=C.UTF-8) to read "
            + "events/objects/" + SPACED);

    Map<String, List<String>> referencedBy = new TreeMap<>();
    for (Path file : eventFiles()) {
      String name = file.getFileName().toString();
      for (ObjectRef ref : refsIn(name)) {
        referencedBy.computeIfAbsent(ref.key, k -> new ArrayList<>()).add(name);
        Path object = OBJECTS.resolve(ref.key);
        assertTrue(Files.isRegularFile(object), name + " names " + ref.key + ", missing under events/objects/");
        assertEquals(md5(ref.key), ref.eTag, name + ": eTag of " + ref.key);
        assertEquals(Files.size(object), ref.size, name + ": size of " + ref.key);
      }
    }

    TreeSet<String> objects = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(OBJECTS)) {
      walk.filter(Files::isRegularFile)
          .forEach(p -> objects.add(OBJECTS.relativize(p).toString().replace(File.separatorChar, '/')));
    }
    assertEquals(new TreeSet<>(List.of(ORDERS, CUSTOMERS, SPACED)), objects);
    assertEquals(objects, referencedBy.keySet(), "objects named by no event, or events naming no object");
  }

  private static void assertObjectCreated(
      S3EventNotificationRecord record, String encodedKey, String key, String sequencer) throws IOException {
    S3ObjectEntity object = record.getS3().getObject();
    assertAll(
        () -> assertEquals("2.1", record.getEventVersion()),
        () -> assertEquals("aws:s3", record.getEventSource()),
        () -> assertEquals("us-east-1", record.getAwsRegion()),
        () -> assertEquals("ObjectCreated:Put", record.getEventName()),
        () -> assertNotNull(record.getEventTime()),
        () -> assertEquals("1.0", record.getS3().getS3SchemaVersion()),
        () -> assertNotNull(record.getS3().getConfigurationId()),
        () -> assertEquals(BUCKET, record.getS3().getBucket().getName()),
        () -> assertEquals(BUCKET_ARN, record.getS3().getBucket().getArn()),
        () -> assertNotNull(record.getS3().getBucket().getOwnerIdentity().getPrincipalId()),
        () -> assertEquals(encodedKey, object.getKey()),
        () -> assertEquals(encodedKey, s3Encode(key), "key encoded as S3 does"),
        () -> assertEquals(key, URLDecoder.decode(object.getKey(), StandardCharsets.UTF_8)),
        () -> assertEquals(Files.size(OBJECTS.resolve(key)), object.getSizeAsLong()),
        () -> assertEquals(md5(key), object.geteTag()),
        () -> assertEquals(sequencer, object.getSequencer()),
        () -> assertTrue(object.getSequencer().matches("[0-9A-F]+"), "sequencer is hex"),
        // Samples cannot know a version id: as from an unversioned bucket, identity is ETag + sequencer.
        () -> assertAbsent(object.getVersionId()));
  }

  /**
   * The runtime's serializer turns a field missing from the JSON into "" (and a missing size into 0), never null:
   * a handler must treat an empty key, eTag or versionId as absent.
   */
  private static void assertAbsent(String value) {
    assertTrue(value == null || value.isEmpty(), () -> "expected absent, was '" + value + "'");
  }

  /** S3's notification encoding: form-encoding (space as '+', '+' as %2B, UTF-8 percent-encoded) with '/' kept. */
  private static String s3Encode(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
  }

  private static List<Path> eventFiles() throws IOException {
    try (Stream<Path> list = Files.list(EVENTS)) {
      // kinesis-*.json are StreamIngestFunction's events (checked by its own SampleEventsTest): they name no object.
      return list.filter(p -> p.getFileName().toString().endsWith(".json"))
          .filter(p -> !p.getFileName().toString().startsWith("kinesis-"))
          .sorted()
          .toList();
    }
  }

  private record ObjectRef(String key, String eTag, long size) {}

  /** Objects named with an ETag by an event file: S3 records (key decoded) or an EventBridge detail (key as is). */
  private static List<ObjectRef> refsIn(String file) {
    List<ObjectRef> refs = new ArrayList<>();
    if (file.startsWith("eventbridge-")) {
      Map<String, Object> object = objectOf(eventBridgeEvent(file));
      refs.add(new ObjectRef(
          (String) object.get("key"), (String) object.get("etag"), ((Number) object.get("size")).longValue()));
      return refs;
    }
    List<S3EventNotificationRecord> records = s3Event(file).getRecords();
    if (records == null) {
      return refs;
    }
    for (S3EventNotificationRecord record : records) {
      S3ObjectEntity object = record.getS3().getObject();
      if (!isAbsent(object.getKey()) && !isAbsent(object.geteTag())) {
        refs.add(new ObjectRef(
            URLDecoder.decode(object.getKey(), StandardCharsets.UTF_8), object.geteTag(), object.getSizeAsLong()));
      }
    }
    return refs;
  }

  private static boolean isAbsent(String value) {
    return value == null || value.isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static String bucketOf(ScheduledEvent event) {
    return (String) ((Map<String, Object>) event.getDetail().get("bucket")).get("name");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> objectOf(ScheduledEvent event) {
    return (Map<String, Object>) event.getDetail().get("object");
  }

  private static String md5(String key) throws IOException {
    try {
      byte[] digest = MessageDigest.getInstance("MD5").digest(Files.readAllBytes(OBJECTS.resolve(key)));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
