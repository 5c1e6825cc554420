package dev.rawzone.functions.stream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.event.EventPlanner;
import dev.rawzone.core.kinesis.BatchResult;
import dev.rawzone.core.kinesis.ShardResult;
import dev.rawzone.core.kinesis.ShardShare;
import dev.rawzone.core.kinesis.StreamRecord;
import dev.rawzone.core.kinesis.UserRecord;
import dev.rawzone.core.kinesis.Verdict;
import dev.rawzone.core.observe.CountsPublisher;
import dev.rawzone.core.observe.DatasetFigures;
import dev.rawzone.core.observe.InvocationFigures;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.write.Position;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

/**
 * StreamIngestFunction: a Kinesis batch from the event source mapping in, each user record (KPL aggregates are
 * split) written to the raw zone or quarantined exactly once, and a partial batch response out: for each shard
 * that did not fully settle, the sequence number of its first unsettled record, so Lambda retries from there in
 * order. Poison records are quarantined and acknowledged; only transient failures are reported.
 * <p>
 * The response is exactly {@code {"batchItemFailures":[...]}}: the counts are logged (one JSON line with a
 * {@code counts} object) and emitted as EMF metrics, not returned, because Lambda documents no tolerance for
 * other fields in a partial batch response.
 */
public final class StreamIngestHandler implements RequestHandler<KinesisEvent, StreamsEventResponse>, EventPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(StreamIngestHandler.class);

    private final StreamIngestWiring wiring;
    private final CountsPublisher publisher;

    public StreamIngestHandler() {
        this(StreamIngestWiring.fromEnvironment(System.getenv()));
    }

    public StreamIngestHandler(StreamIngestWiring wiring) {
        this.wiring = wiring;
        this.publisher = new CountsPublisher(wiring.metrics());
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> ingest(event, context.getAwsRequestId()).response());
    }

    /** What one batch came to: the response to return, and the per-shard detail behind it. */
    public record Outcome(StreamsEventResponse response, BatchResult result) {
        public Counts counts() {
            return result.counts();
        }
    }

    public Outcome ingest(KinesisEvent event, String runId) {
        List<StreamRecord> records = KinesisEvents.records(event);
        BatchResult result = wiring.ingester().ingest(records,
                new RunContext(wiring.settings().pipelineVersion(), runId));
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (String sequenceNumber : result.failedSequenceNumbers()) {
            failures.add(new StreamsEventResponse.BatchItemFailure(sequenceNumber));
        }
        Counts counts = result.counts();
        LOG.info("Kinesis batch of {} records from {} shard(s) settled", records.size(), result.shards().size(),
                entry("counts", counts.asMap()),
                entry("batchItemFailures", result.failedSequenceNumbers()),
                entry("shards", result.shards().stream().map(StreamIngestHandler::summary).toList()));
        publisher.publish(figures(result, Instant.now()));
        return new Outcome(new StreamsEventResponse(failures), result);
    }

    /** Per dataset: the counts, the parts written, and the age of the oldest record when it is processed. */
    static InvocationFigures figures(BatchResult result, Instant now) {
        InvocationFigures figures = new InvocationFigures();
        for (ShardResult shard : result.shards()) {
            for (ShardShare share : shard.shares()) {
                DatasetFigures figure = share.dataset().map(figures::dataset).orElseGet(figures::withoutDataset);
                figure.add(share.counts()).add(share.written()).max("RecordAge",
                        Math.max(0, Duration.between(share.oldestArrival(), now).toMillis()), MetricUnit.MILLISECONDS);
            }
        }
        return figures;
    }

    private static java.util.Map<String, Object> summary(ShardResult shard) {
        java.util.Map<String, Object> summary = new java.util.LinkedHashMap<>();
        summary.put("stream", StreamRecord.streamName(shard.streamArn()));
        summary.put("shard", shard.shardId());
        summary.putAll(shard.counts().asMap());
        shard.failedSequenceNumber().ifPresent(sequence -> summary.put("retryFrom", sequence));
        shard.failure().ifPresent(reason -> summary.put("failure", reason));
        return summary;
    }

    /**
     * The dry run: each user record's identity (stream, shard, sequence and sub-sequence number) and whether it
     * would be ingested, to which dataset and schema version, or quarantined and why. Nothing is read or written:
     * the shard ledgers are not consulted, so records they already cover would in fact be skipped as duplicates.
     */
    @Override
    public List<ObjectNode> plan(InputStream event) {
        List<ObjectNode> plan = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (StreamRecord record : KinesisEvents.records(KinesisEvents.parse(event))) {
            for (UserRecord user : UserRecord.of(record)) {
                Position position = user.position();
                ObjectNode line = wiring.mapper().createObjectNode();
                line.put("stream", record.streamName()).put("shard", record.shardId())
                        .put("sequenceNumber", record.sequenceNumber()).put("subSequenceNumber", user.subSequence())
                        .put("partitionKey", user.partitionKey())
                        .put("approximateArrival", record.arrival().toString());
                if (!seen.add(record.streamArn() + "/" + record.shardId() + "/" + position)) {
                    line.put("action", "skip").put("reason", "delivered twice in this event: ingested once");
                } else {
                    describe(line, user);
                }
                plan.add(line);
            }
        }
        return plan;
    }

    private void describe(ObjectNode line, UserRecord user) {
        Verdict verdict;
        try {
            verdict = wiring.classifier().classify(user);
        } catch (RuntimeException e) {
            line.put("action", "fail").put("reason", "could not be classified, would be retried: " + e.getMessage());
            return;
        }
        line.put("dataset", verdict.dataset());
        if (verdict instanceof Verdict.Accept accept) {
            line.put("action", "ingest").put("schemaVersion", accept.schema().version());
        } else if (verdict instanceof Verdict.Reject reject) {
            line.put("action", "quarantine").put("reason", reject.reason());
            if (reject.schemaVersion() != Verdict.NO_VERSION) {
                line.put("schemaVersion", reject.schemaVersion());
            }
        }
    }
}
