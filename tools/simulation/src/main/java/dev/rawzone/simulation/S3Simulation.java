package dev.rawzone.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.amazonaws.services.lambda.runtime.Context;
import dev.rawzone.functions.s3.S3IngestHandler;
import dev.rawzone.simulation.audit.ObjectText;
import dev.rawzone.simulation.audit.RawZoneAudit;
import dev.rawzone.simulation.audit.SourceRecords;
import dev.rawzone.simulation.audit.SupersededObjectAudit;
import dev.rawzone.simulation.faults.CrashPlan;
import dev.rawzone.simulation.faults.CrashPoint;
import dev.rawzone.simulation.faults.SimulatedCrash;
import dev.rawzone.testkit.FakeContext;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static dev.rawzone.simulation.Faults.Calls;
import static dev.rawzone.simulation.Faults.CrashTarget;
import static dev.rawzone.testkit.FaultInjectingProxy.putTo;

/**
 * S3 push: objects of JSON Lines and CSV (plain, gzip, damaged, with CRLF or a BOM, under awkward keys) announced
 * in notifications that are delivered twice and out of order; each attempt may crash around any S3 call or meet
 * throttling and dropped connections; a failed attempt is retried as Lambda's async invoke does, in a warm or a
 * cold container, sometimes after a new schema version or a changed route was published. In half the scenarios an
 * invocation has time for one or two segments only: it stops, hands the object to the continuation queue, and
 * the queue's messages (some delivered twice) are delivered like events until the queue is empty.
 */
final class S3Simulation implements SourceSimulation {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_ATTEMPTS = 8;
    private static final int TICK_MILLIS = 1_000;

    @Override
    public String name() {
        return "s3";
    }

    private static Faults faults(Lab lab) {
        return new Faults(
            List.of(new CrashTarget("GetObject", "in/"), new CrashTarget("HeadObject", "in/"),
                    new CrashTarget("PutObject", "raw/"), new CrashTarget("PutObject", "quarantine/"),
                    new CrashTarget("PutObject", "manifests/"), new CrashTarget("CopyObject", "quarantine/"),
                    new CrashTarget("GetObject", "manifests/")),
            List.of(new Calls("PUT raw/", putTo("/" + lab.raw + "/raw/")),
                    new Calls("PUT quarantine/", putTo("/" + lab.raw + "/quarantine/")),
                    new Calls("GET landing", request -> request.method().equals("GET")
                            && request.path().startsWith("/" + lab.landing + "/"))));
    }

    @Override
    public ScenarioResult run(long seed, Lab lab) {
        Random random = new Random(seed);
        lab.reset();
        S3Scenario scenario = new S3Scenario(seed, random, lab);
        return scenario.run();
    }

    /** One invocation of the S3 handler as Lambda makes it; its JSON report. */
    static JsonNode invoke(S3IngestHandler handler, String event) {
        return invoke(handler, event, new FakeContext("S3IngestFunction"));
    }

    private static JsonNode invoke(S3IngestHandler handler, String event, Context context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
            return MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The notification record S3 sends for an object put into the landing bucket. */
    static ObjectNode notice(String bucket, String key, String versionId, String eTag, long size, long sequencer) {
        ObjectNode record = MAPPER.createObjectNode();
        record.put("eventVersion", "2.1").put("eventSource", "aws:s3").put("awsRegion", "us-east-1")
                .put("eventTime", "2026-11-25T10:00:00.000Z").put("eventName", "ObjectCreated:Put");
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0").put("configurationId", "rawzone-landing");
        s3.putObject("bucket").put("name", bucket).put("arn", "arn:aws:s3:::" + bucket);
        s3.putObject("object").put("key", URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"))
                .put("size", size).put("eTag", eTag).put("versionId", versionId)
                .put("sequencer", String.format("%016X", sequencer));
        return record;
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static final class S3Scenario {
        private final long seed;
        private final Random random;
        private final Lab lab;
        private final SourceRecords source = new SourceRecords();
        private final SimulatedConfig config;
        private final Map<String, String> environment;
        private final Containers<S3IngestHandler> containers;
        private final List<String> story = new ArrayList<>();
        private final int segmentsPerInvocation;
        private final String continuationQueue;
        private final int marginMillis;
        private long sequencer = 0x5F00000000L;
        private final ScenarioResult result;
        private Landed firstObject;

        private static final long GZIP_LEVEL_STREAM = 0x9E3779B97F4A7C15L;
        private static final long SUPERSEDE_STREAM = 0xC2B2AE3D27D4EB4FL;
        /** Draws of the superseding step, a stream of their own, so the scenario's other draws stay as they were. */
        private final Random supersedeDraws;
        private final boolean supersedeFirstObject;
        private final boolean crashBeforeTheStop;
        private final boolean firstInvocationCrashes;
        private SupersededObjectAudit superseded;
        private final List<String> laterEvents = new ArrayList<>();

        S3Scenario(long seed, Random random, Lab lab) {
            this.seed = seed;
            this.random = random;
            this.lab = lab;
            this.result = new ScenarioResult("s3", seed);
            this.config = SimulatedConfig.publish(lab);
            this.segmentsPerInvocation = random.nextBoolean() ? 1 + random.nextInt(2) : 0;
            Map<ScenarioSetting, String> settings = Map.of(
                    ScenarioSetting.INGEST_CONFIG, Lab.config(SimulatedConfig.S3_ROUTES),
                    ScenarioSetting.SCHEMA_LOCATION, Lab.config(SimulatedConfig.SCHEMAS),
                    ScenarioSetting.PART_MAX_RECORDS, Integer.toString(3 + random.nextInt(8)));
            Map<String, String> env = lab.functionEnvironment("S3IngestFunction", settings);
            this.environment = env;
            this.continuationQueue = env.get("CONTINUATION_QUEUE_URL");
            this.marginMillis = Integer.parseInt(env.get("CONTINUE_MARGIN_MILLIS"));
            // every cold container reads its own gzip level, as if it were republished between attempts; a stream
            // of its own, so the scenario's other draws stay as they were
            Random levels = new Random(seed ^ GZIP_LEVEL_STREAM);
            this.containers = new Containers<>(() -> new S3IngestHandler(withGzipLevel(env, 1 + levels.nextInt(9))));
            this.supersedeDraws = new Random(seed ^ SUPERSEDE_STREAM);
            this.supersedeFirstObject = segmentsPerInvocation > 0 && supersedeDraws.nextInt(3) == 0;
            this.crashBeforeTheStop = supersedeDraws.nextBoolean();
            this.firstInvocationCrashes = supersedeDraws.nextInt(3) == 0;
        }

        private static Map<String, String> withGzipLevel(Map<String, String> env, int level) {
            Map<String, String> leveled = new HashMap<>(env);
            leveled.put(ScenarioSetting.PART_GZIP_LEVEL.name(), Integer.toString(level));
            return leveled;
        }

        ScenarioResult run() {
            long started = System.nanoTime();
            List<ObjectNode> notices = new ArrayList<>();
            int objects = 1 + random.nextInt(3);
            for (int k = 0; k < objects; k++) {
                notices.add(upload(k));
            }
            if (random.nextInt(6) == 0) {
                notices.add(folderMarker());
            }
            List<String> events = events(notices);
            List<String> deliveries = new ArrayList<>(events);
            for (String event : events) {
                if (random.nextInt(5) < 2) {
                    deliveries.add(event);
                }
            }
            Collections.shuffle(deliveries, random);
            if (supersedeFirstObject && firstInvocationCrashes) {
                ObjectNode first = MAPPER.createObjectNode();
                first.putArray("Records").add(notices.get(0));
                crashBeforeItsStop(first.toString(), "the first invocation of ");
                overwriteFirstObject("before any stop was recorded");
            }
            for (String event : deliveries) {
                if (random.nextInt(8) == 0) {
                    deliverTwiceAtOnce(event);
                } else {
                    deliver(event);
                }
            }
            if (segmentsPerInvocation > 0) {
                drainContinuations();
            }
            events.addAll(laterEvents);
            for (String event : events) {
                redeliverSettled(event);
            }
            RawZoneAudit zone = RawZoneAudit.of(lab.s3, lab.raw);
            if (superseded != null) {
                result.violations.addAll(superseded.check(lab.s3, lab.raw, zone, source));
            }
            result.settle(story, source, zone, started);
            return result;
        }

        /** Lambda's async invoke: the event again after a failed attempt, until one succeeds. */
        private void deliver(String event) {
            String lastFailure = "";
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                boolean faulty = attempt <= 3 && random.nextInt(4) != 0;
                String fault = faulty ? faults(lab).inject(random, lab.proxy) : "none";
                S3IngestHandler handler = containers.pick(random);
                try {
                    JsonNode report = invoke(handler, event, context());
                    Faults.clear(lab.proxy);
                    checkCounts(report);
                    result.duplicatesSkipped += report.get("duplicates").asLong();
                    return;
                } catch (SimulatedCrash crash) {
                    Faults.clear(lab.proxy);
                    containers.crashed(handler);
                    lastFailure = crash.getMessage();
                } catch (RuntimeException e) {
                    Faults.clear(lab.proxy);
                    lastFailure = fault + ": " + e;
                }
                result.failedThenRetried++;
                story.add("attempt " + attempt + " failed (" + lastFailure + ")");
                if (random.nextInt(10) < 3) {
                    story.add(config.change(random));
                }
            }
            result.violations.add("an event never settled in " + MAX_ATTEMPTS + " attempts: " + lastFailure);
        }

        /** The event run by two containers at once; one that failed is retried as Lambda retries it. */
        private void deliverTwiceAtOnce(String event) {
            story.add("an event delivered to two containers at once");
            S3IngestHandler first = containers.pick(random);
            S3IngestHandler second = new S3IngestHandler(environment);
            for (Object outcome : Concurrently.run(() -> invoke(first, event, context()),
                    () -> invoke(second, event, context()))) {
                if (outcome instanceof JsonNode report) {
                    checkCounts(report);
                    result.duplicatesSkipped += report.get("duplicates").asLong();
                } else {
                    story.add("one of them failed (" + outcome + ")");
                    result.failedThenRetried++;
                    deliver(event);
                }
            }
        }

        /** Time for {@link #segmentsPerInvocation} segments (the handler asks once per segment end), or 15 minutes. */
        private Context context() {
            return segmentsPerInvocation == 0 ? new FakeContext("S3IngestFunction")
                    : FakeContext.countingDown("S3IngestFunction",
                            marginMillis + (segmentsPerInvocation - 1) * TICK_MILLIS - 1, TICK_MILLIS);
        }

        /** The continuation queue's messages, each delivered like an event (some twice), until none is left. */
        private void drainContinuations() {
            int continuations = 0;
            for (List<Message> messages = receiveContinuations(); !messages.isEmpty(); messages = receiveContinuations()) {
                for (Message message : messages) {
                    continuations++;
                    String event = continuationEvent(message);
                    if (superseded == null && supersedeFirstObject && message.body().contains(firstObject.eTag())) {
                        supersedeMidChain(event);
                    }
                    if (random.nextInt(6) == 0) {
                        story.add("a continuation delivered twice");
                        deliver(event);
                    }
                    deliver(event);
                    lab.sqs.deleteMessage(d -> d.queueUrl(continuationQueue).receiptHandle(message.receiptHandle()));
                }
            }
            story.add(continuations + " continuation(s), " + segmentsPerInvocation + " segment(s) per invocation");
            result.continued += continuations;
        }

        private List<Message> receiveContinuations() {
            return lab.sqs.receiveMessage(r -> r.queueUrl(continuationQueue).maxNumberOfMessages(10)
                    .visibilityTimeout(600)).messages();
        }

        /** The event the queue's event source mapping delivers for one message. */
        private static String continuationEvent(Message message) {
            ObjectNode event = MAPPER.createObjectNode();
            event.putArray("Records").addObject().put("messageId", message.messageId())
                    .put("receiptHandle", message.receiptHandle()).put("body", message.body())
                    .put("eventSource", "aws:sqs").put("awsRegion", "us-east-1");
            return event.toString();
        }

        /** Once every delivery settled, one more changes nothing: every record is a duplicate. */
        private void redeliverSettled(String event) {
            try {
                JsonNode report = invoke(containers.pick(random), event);
                checkCounts(report);
                if (report.get("written").asLong() + report.get("quarantined").asLong() + report.get("failed").asLong() > 0) {
                    result.violations.add("a re-delivery after settling did not skip everything: " + totals(report));
                }
            } catch (RuntimeException e) {
                result.violations.add("a re-delivery after settling failed: " + e);
            }
        }

        private void checkCounts(JsonNode report) {
            List<JsonNode> units = new ArrayList<>();
            units.add(report);
            report.get("objects").forEach(units::add);
            for (JsonNode unit : units) {
                long in = unit.get("in").asLong();
                long sum = unit.get("written").asLong() + unit.get("quarantined").asLong()
                        + unit.get("duplicates").asLong() + unit.get("failed").asLong();
                if (in != sum) {
                    result.violations.add("counts do not add up: " + totals(unit));
                }
            }
        }

        private static String totals(JsonNode unit) {
            return "in " + unit.get("in") + ", written " + unit.get("written") + ", quarantined " + unit.get("quarantined")
                    + ", duplicates " + unit.get("duplicates") + ", failed " + unit.get("failed");
        }

        private ObjectNode upload(int k) {
            String dataset = random.nextBoolean() ? "alpha" : "beta";
            boolean csv = random.nextInt(4) == 0;
            boolean gzip = random.nextInt(3) == 0;
            String stem = switch (random.nextInt(8)) {
                case 0 -> "\u8ba2\u5355-" + k;
                case 1 -> "my file+%23" + k;
                default -> "obj-" + k;
            };
            String key = "in/" + dataset + "/" + stem + (csv ? ".csv" : ".jsonl") + (gzip ? ".gz" : "");
            boolean crlf = !gzip && random.nextInt(6) == 0;
            boolean bom = !gzip && random.nextInt(8) == 0;
            StringBuilder text = new StringBuilder(bom ? "\uFEFF" : "");
            List<String[]> lines = new ArrayList<>();
            if (csv) {
                text.append(RecordTexts.csvHeader()).append(crlf ? "\r\n" : "\n");
            }
            int drawn = 3 + random.nextInt(segmentsPerInvocation > 0 ? 40 : 18);
            // long enough for the chain to be overwritten in its middle, the extra lines from the superseding stream
            int count = k == 0 && supersedeFirstObject ? drawn + 30 + supersedeDraws.nextInt(30) : drawn;
            for (int line = 0; line < count; line++) {
                String id = SourceRecords.id(seed, k, line);
                Random draws = line < drawn ? random : supersedeDraws;
                RecordTexts.Kind kind = RecordTexts.kind(draws);
                String record = csv ? RecordTexts.csv(kind, id, draws) : RecordTexts.json(kind, id, draws);
                text.append(record).append(crlf ? "\r\n" : "\n");
                lines.add(new String[] {id, kind == RecordTexts.Kind.VALID && !csv ? record : null});
            }
            byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
            String damage = "";
            if (gzip) {
                body = gzip(body);
                int dice = random.nextInt(10);
                if (dice < 2) {
                    body = java.util.Arrays.copyOf(body, body.length * (6 + random.nextInt(3)) / 10);
                    damage = ", truncated";
                } else if (dice < 3) {
                    String id = SourceRecords.id(seed, k, count);
                    String tail = (csv ? RecordTexts.csv(RecordTexts.Kind.VALID, id, random)
                            : RecordTexts.json(RecordTexts.Kind.VALID, id, random)) + "\n";
                    body = concat(body, tail.getBytes(StandardCharsets.UTF_8));
                    lines.add(new String[] {id, null});
                    damage = ", plain lines after the gzip";
                }
            }
            String readable = new String(ObjectText.readable(body), StandardCharsets.UTF_8);
            for (String[] line : lines) {
                if (readable.contains(line[0] + (csv ? "," : "\""))) {
                    source.mustLand(line[0], line[1] == null ? null : line[1].getBytes(StandardCharsets.UTF_8));
                }
            }
            story.add(key + " (" + count + " lines" + (crlf ? ", CRLF" : "") + (bom ? ", BOM" : "") + damage + ")");
            byte[] uploaded = body;
            PutObjectResponse put = lab.s3.putObject(p -> p.bucket(lab.landing).key(key), RequestBody.fromBytes(uploaded));
            ObjectNode notice = notice(key, put.versionId(), put.eTag().replace("\"", ""), uploaded.length);
            if (k == 0 && supersedeFirstObject) {
                firstObject = new Landed(key, put.eTag().replace("\"", ""), ObjectText.readable(uploaded));
                unversioned(notice);
            }
            return notice;
        }

        /**
         * Object 0, while a chain reads it, overwritten under its name in an unversioned bucket: first, on half the
         * seeds, one continuation crashes after publishing its parts and before recording its stop. The newer content
         * is announced; the chain's next continuation finds the object changed. (On a third of the seeds that
         * supersede object 0, its first invocation crashes that way before the chain began, in {@link #run}.)
         */
        private void supersedeMidChain(String continuation) {
            if (crashBeforeTheStop) {
                crashBeforeItsStop(continuation, "a continuation of ");
            }
            overwriteFirstObject("mid-chain");
        }

        private void crashBeforeItsStop(String event, String which) {
            CrashPlan.arm(new CrashPoint("PutObject", "manifests/s3/progress/", 1, CrashPoint.When.BEFORE));
            S3IngestHandler handler = containers.pick(supersedeDraws);
            try {
                invoke(handler, event, context());
                story.add(which + firstObject.key() + " armed to crash before its stop read to the end");
            } catch (SimulatedCrash crash) {
                containers.crashed(handler);
                story.add(which + firstObject.key() + " crashed after its parts, before its stop");
            } finally {
                Faults.clear(lab.proxy);
            }
        }

        /** The newer content, announced and delivered at once; the old notice, delivered later, finds it. */
        private void overwriteFirstObject(String when) {
            superseded = new SupersededObjectAudit(firstObject.key(), firstObject.eTag(), firstObject.content());
            String key = firstObject.key();
            boolean csv = key.contains(".csv");
            StringBuilder text = new StringBuilder(csv ? RecordTexts.csvHeader() + "\n" : "");
            int lines = 2 + supersedeDraws.nextInt(5);
            for (int line = 0; line < lines; line++) {
                String id = SourceRecords.id(seed, 99, line);
                String record = csv ? RecordTexts.csv(RecordTexts.Kind.VALID, id, supersedeDraws)
                        : RecordTexts.json(RecordTexts.Kind.VALID, id, supersedeDraws);
                text.append(record).append('\n');
                source.mustLand(id, csv ? null : record.getBytes(StandardCharsets.UTF_8));
            }
            byte[] plain = text.toString().getBytes(StandardCharsets.UTF_8);
            byte[] body = key.endsWith(".gz") ? gzip(plain) : plain;
            PutObjectResponse put = lab.s3.putObject(p -> p.bucket(lab.landing).key(key), RequestBody.fromBytes(body));
            ObjectNode notice = notice(key, put.versionId(), put.eTag().replace("\"", ""), body.length);
            unversioned(notice);
            story.add(key + " overwritten " + when + " (unversioned)");
            ObjectNode event = MAPPER.createObjectNode();
            event.putArray("Records").add(notice);
            laterEvents.add(event.toString());
            deliver(event.toString());
        }

        /** Identified by its ETag, as in a bucket without versioning. */
        private static void unversioned(ObjectNode notice) {
            ((ObjectNode) notice.get("s3").get("object")).remove("versionId");
        }

        /** An object as uploaded: its key, ETag and readable (decompressed) content. */
        private record Landed(String key, String eTag, byte[] content) {
        }

        private ObjectNode folderMarker() {
            String key = "in/alpha/folder-" + random.nextInt(100) + "/";
            PutObjectResponse put = lab.s3.putObject(p -> p.bucket(lab.landing).key(key), RequestBody.empty());
            story.add(key + " (console folder marker)");
            return notice(key, put.versionId(), put.eTag().replace("\"", ""), 0);
        }

        private ObjectNode notice(String key, String versionId, String eTag, long size) {
            return S3Simulation.notice(lab.landing, key, versionId, eTag, size, sequencer++);
        }

        /** Notifications grouped as S3 may send them: one or two records per event. */
        private List<String> events(List<ObjectNode> notices) {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < notices.size(); ) {
                int take = Math.min(notices.size() - i, 1 + random.nextInt(2));
                ObjectNode event = MAPPER.createObjectNode();
                ArrayNode records = event.putArray("Records");
                notices.subList(i, i + take).forEach(records::add);
                events.add(event.toString());
                i += take;
            }
            return events;
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, joined, a.length, b.length);
            return joined;
        }
    }
}
