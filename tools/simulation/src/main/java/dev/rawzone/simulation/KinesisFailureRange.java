package dev.rawzone.simulation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.checkpoint.DynamoDbCheckpointStore;
import dev.rawzone.core.config.AwsJsonCall;
import dev.rawzone.core.kinesis.KinesisIngester;
import dev.rawzone.core.kinesis.RecordClassifier;
import dev.rawzone.core.kinesis.ShardLedgers;
import dev.rawzone.core.kinesis.StreamRecord;
import dev.rawzone.core.kinesis.StreamRouting;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaSources;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.S3ConditionalSink;
import dev.rawzone.simulation.audit.SourceRecords;
import dev.rawzone.simulation.faults.CrashPlan;
import dev.rawzone.simulation.faults.CrashPoint;
import dev.rawzone.simulation.faults.SimulatedCrash;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.s3.S3Client;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static dev.rawzone.testkit.FaultInjectingProxy.putTo;

/**
 * A Kinesis shard whose middle batch the event source mapping gave up: records put on a real stream, ingested by
 * the real {@link KinesisIngester} in three batches, the middle one failing on every write (the raw bucket answers
 * 500) and then skipped, which leaves its range open in the shard ledger; its on-failure message (metadata only,
 * {@code KinesisBatchInfo}) goes to an SQS queue for the redrive.
 */
final class KinesisFailureRange {
    static final String STREAM = "replay-events";
    private static final String SHARD = "shardId-000000000000";
    private static final int WRITES_REFUSED = 1000;

    private KinesisFailureRange() {
    }

    /** The ingester of the stream path over the raw zone and the checkpoint table, its calls through the proxy. */
    static KinesisIngester ingester(Lab lab, S3Client s3, AwsJsonCall dynamoDb, int partRecords) {
        SchemaCatalogue catalogue = new SchemaCatalogue(SchemaSources.fromLocation(ReplayRuns.SCHEMAS, () -> s3));
        return new KinesisIngester(new S3ConditionalSink(s3, lab.raw), ledgers(lab, dynamoDb),
                new RecordClassifier(StreamRouting.load(ReplayRuns.STREAM_ROUTES, () -> s3),
                        new RecordValidator(catalogue)), new PartPolicy(partRecords, PartPolicy.defaults().maxBytes()),
                S3Simulation.MAPPER);
    }

    static ShardLedgers ledgers(Lab lab, AwsJsonCall dynamoDb) {
        return new ShardLedgers(new DynamoDbCheckpointStore(dynamoDb, lab.table));
    }

    /**
     * How the middle batch fails before the event source mapping gives it up. Drawn from a random of its own, so a
     * seed keeps the rest of its scenario whichever it draws.
     */
    enum Failure {
        /** Every write refused (the raw bucket answers 500): the ledger holds its pin and first unsettled record. */
        REFUSED("every write refused"),
        /** Crashed before its ledger pin: the ledger knows nothing of it and takes the next batch as contiguous. */
        UNPINNED("crashed before its ledger pin"),
        /** Crashed after writing its parts, before its ledger commit: parts the ledger never learnt of. */
        UNCOMMITTED("crashed after its parts, before its ledger commit");

        final String label;

        Failure(String label) {
            this.label = label;
        }
    }

    /** A range reported lost at the source: what its lost marker must say. */
    record LostRange(String first, String last) {
    }

    /**
     * Puts 6-12 records on the stream, ingests them with the middle batch given up (failing as {@code failure}),
     * and sends that batch's on-failure message to {@code queueUrl}. Every record must land once the range is
     * re-driven. {@code trimmed}: the message's range starts at sequence number 0, before the stream's oldest record
     * (as when the stream's retention trimmed its start before the redrive): what lies before the oldest record is
     * reported lost, and returned.
     */
    static Optional<LostRange> giveUpOneBatch(long seed, Random random, Lab lab, ReplayRuns.Clients clients,
                                              int partRecords, SourceRecords source, ReplayAudit.Expectations expected,
                                              List<String> story, Failure failure, boolean trimmed) {
        KinesisClient kinesis = clients.kinesis();
        // A stream of the scenario's own, not the stack's IngestStream: records cannot be taken off a stream, and the
        // scenario needs one whose first record is its own (a range starting at 0 lies before it, trimmed). StackData
        // deletes it before the next scenario.
        lab.kinesis.createStream(c -> c.streamName(STREAM).shardCount(1));
        lab.kinesis.waiter().waitUntilStreamExists(w -> w.streamName(STREAM));
        String arn = lab.kinesis.describeStreamSummary(d -> d.streamName(STREAM)).streamDescriptionSummary().streamARN();
        int count = 6 + random.nextInt(7);
        for (int i = 0; i < count; i++) {
            String id = SourceRecords.id(seed, 90, i);
            RecordTexts.Kind kind = RecordTexts.kind(random);
            String record = RecordTexts.json(kind, id, random);
            byte[] data = record.getBytes(StandardCharsets.UTF_8);
            lab.kinesis.putRecord(p -> p.streamName(STREAM).partitionKey("pk-" + id).data(SdkBytes.fromByteArray(data)));
            source.mustLand(id, kind == RecordTexts.Kind.BROKEN ? null : data);
            expected.outsideRelease(id, kind, record);
        }
        String iterator = kinesis.getShardIterator(g -> g.streamName(STREAM).shardId(SHARD)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<StreamRecord> records = new ArrayList<>();
        for (Record record : kinesis.getRecords(g -> g.shardIterator(iterator)).records()) {
            records.add(new StreamRecord(arn, SHARD, record.sequenceNumber(), record.partitionKey(),
                    record.data().asByteArray(), record.approximateArrivalTimestamp()));
        }
        int from = 1 + random.nextInt(count / 2);
        int to = from + 1 + random.nextInt(count - from - 1);
        KinesisIngester ingester = ingester(lab, clients.s3(), clients.dynamoDb(), partRecords);
        ingester.ingest(records.subList(0, from), new RunContext("simulation", "live-1"));
        failMiddleBatch(lab, ingester, records.subList(from, to), failure);
        ingester.ingest(records.subList(to, count), new RunContext("simulation", "live-3"));
        String start = trimmed ? "0" : records.get(from).sequenceNumber();
        lab.sqs.sendMessage(m -> m.queueUrl(clients.kinesisFailures())
                .messageBody(message(arn, start, records.get(from), records.get(to - 1), to - from, seed).toString()));
        story.add(STREAM + ": " + count + " records, " + from + ".." + (to - 1) + " " + failure.label
                + " and given up to the on-failure queue" + (trimmed ? ", its range from sequence number 0, before "
                + "the stream's oldest record (trimmed)" : ""));
        BigInteger oldest = new BigInteger(records.get(0).sequenceNumber());
        return trimmed && oldest.signum() > 0
                ? Optional.of(new LostRange("0", oldest.subtract(BigInteger.ONE).toString())) : Optional.empty();
    }

    private static void failMiddleBatch(Lab lab, KinesisIngester ingester, List<StreamRecord> batch, Failure failure) {
        RunContext attempt = new RunContext("simulation", "live-2");
        if (failure == Failure.REFUSED) {
            lab.proxy.fail(putTo("/" + lab.raw + "/"), WRITES_REFUSED, 500, "InternalError");
            List<String> failed = ingester.ingest(batch, attempt).failedSequenceNumbers();
            lab.proxy.clear();
            if (failed.isEmpty()) {
                throw new IllegalStateException("a batch whose every write failed reported no failure");
            }
            return;
        }
        // The ledger's first write is the pin, its second the commit after the parts.
        CrashPlan.arm(new CrashPoint("PutItem", lab.table, failure == Failure.UNPINNED ? 1 : 2, CrashPoint.When.BEFORE));
        try {
            ingester.ingest(batch, attempt);
        } catch (SimulatedCrash expectedCrash) {
            // the container is gone; the mapping gives the range up
        } finally {
            if (!CrashPlan.disarm()) {
                throw new IllegalStateException("the middle batch did not reach the crash it was to meet: " + failure);
            }
        }
    }

    /** The message the event source mapping sends to an on-failure destination: metadata only. */
    private static ObjectNode message(String arn, String start, StreamRecord first, StreamRecord last, int size,
                                      long seed) {
        ObjectNode message = S3Simulation.MAPPER.createObjectNode();
        message.putObject("requestContext").put("requestId", "sim-" + seed + "-kinesis")
                .put("functionArn", "arn:aws:lambda:us-east-1:123456789012:function:StreamIngestFunction")
                .put("condition", "RetryAttemptsExhausted").put("approximateInvokeCount", 4);
        message.putObject("responseContext").put("statusCode", 200).put("executedVersion", "$LATEST")
                .put("functionError", "Unhandled");
        message.put("version", "1.0").put("timestamp", "2026-11-25T10:05:00.000Z");
        message.putObject("KinesisBatchInfo").put("shardId", SHARD)
                .put("startSequenceNumber", start).put("endSequenceNumber", last.sequenceNumber())
                .put("approximateArrivalOfFirstRecord", first.arrival().toString())
                .put("approximateArrivalOfLastRecord", last.arrival().toString())
                .put("batchSize", size).put("streamArn", arn);
        return message;
    }
}
