package dev.rawzone.functions.s3;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.event.EventJson;
import dev.rawzone.core.event.EventPlanner;
import dev.rawzone.core.observe.CorrelationId;
import dev.rawzone.core.observe.CountsPublisher;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.pull.TimeBudget;
import dev.rawzone.core.route.Routing;
import dev.rawzone.core.s3.Announcement;
import dev.rawzone.core.s3.ObjectIngestFailure;
import dev.rawzone.core.s3.ObjectOutcome;
import dev.rawzone.core.s3.ObjectReport;
import dev.rawzone.core.s3.S3EventNotices;
import dev.rawzone.core.s3.S3ObjectIngester;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * S3IngestFunction: an S3 {@code ObjectCreated} notification (direct, or routed through EventBridge) in, each
 * announced object version ingested once into the raw zone, a report of what became of every record out.
 * A failure part-way throws, so Lambda retries the event; what was already written is then skipped.
 *
 * <p>An object too large for one invocation is read until shortly before the timeout, then handed to the
 * continuation queue, whose messages (SQS records, each an {@code ObjectCreated} notification again) this handler
 * also consumes: each reads on from where the object's recorded progress says.
 */
public final class S3IngestHandler implements RequestStreamHandler, EventPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(S3IngestHandler.class);

    private final ObjectMapper mapper;
    private final S3EventNotices notifications;
    private final S3ObjectIngester ingester;
    private final Routing routing;
    private final CountsPublisher publisher;
    private final String pipelineVersion;
    private final Optional<ContinuationQueue> continuations;
    private final long marginMillis;

    public S3IngestHandler() {
        this(System.getenv());
    }

    /** Wired from the given environment instead of the process's (the simulation runs many side by side). */
    public S3IngestHandler(Map<String, String> environment) {
        this(S3IngestWiring.fromEnvironment(environment));
    }

    S3IngestHandler(S3IngestWiring wiring) {
        this.mapper = wiring.mapper();
        this.notifications = new S3EventNotices(mapper);
        this.ingester = wiring.ingester();
        this.routing = wiring.routing();
        this.publisher = wiring.publisher();
        this.pipelineVersion = wiring.settings().pipelineVersion();
        this.continuations = wiring.continuations();
        this.marginMillis = wiring.marginMillis();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        TimeBudget budget = continuations.isEmpty() ? TimeBudget.unlimited()
                : TimeBudget.of(context::getRemainingTimeInMillis, Duration.ofMillis(marginMillis));
        IngestReport report = PowertoolsLogging.withLogging(context,
                () -> ingest(event, context.getAwsRequestId(), budget));
        mapper.writeValue(output, report.toJson(mapper));
    }

    IngestReport ingest(byte[] event, String runId, TimeBudget budget) {
        RunContext run = new RunContext(pipelineVersion, runId);
        IngestReport report = new IngestReport();
        JsonNode root = EventJson.object(event, mapper, "event");
        List<byte[]> notices = ContinuationQueue.delivers(root) ? ContinuationQueue.notifications(root) : List.of(event);
        try {
            for (byte[] notice : notices) {
                for (Announcement announcement : notifications.parse(notice)) {
                    if (announcement instanceof Announcement.Ignore ignore) {
                        LOG.info("ignored {} {}: {}", ignore.bucket(), ignore.key(), ignore.reason());
                        report.ignored(ignore);
                    } else if (announcement instanceof Announcement.Ingest ingest) {
                        ingestOne(ingest, run, budget, report);
                    }
                }
            }
        } finally {
            // also when an object fails part-way: the objects before it, and what it did, are counted
            LOG.info("ingested {} objects: {}", report.objects().size(), report.totals().asMap());
            publisher.publish(report.figures());
        }
        return report;
    }

    /** Adds the object's report; a failure part-way or a failed hand-off throws, so Lambda retries the event. */
    private void ingestOne(Announcement.Ingest ingest, RunContext run, TimeBudget budget, IngestReport report) {
        try (CorrelationId ignored = CorrelationId.of(ingest.notice().identity().uri())) {
            ObjectReport result;
            try {
                result = ingester.ingest(ingest.notice(), run, budget);
            } catch (ObjectIngestFailure failure) {
                report.add(failure.report());
                LOG.error("failed part-way, Lambda will retry the event: {} {}", failure.report().counts().asMap(),
                        failure.getCause().toString());
                throw failure;
            }
            LOG.info("{} {}: {} {}", result.outcome(), ingest.notice().identity().uri(),
                    result.counts().asMap(), result.reason().orElse(""));
            report.add(result);
            if (result.outcome() == ObjectOutcome.CONTINUED) {
                // only a queue's handler has a budget that can run out; a failed hand-off is retried with the event
                continuations.orElseThrow().handOff(ingest.notice());
                report.handedOff(result);
            }
        }
    }

    @Override
    public List<ObjectNode> plan(InputStream event) {
        byte[] bytes;
        try {
            bytes = event.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<ObjectNode> plan = new ArrayList<>();
        for (Announcement announcement : notifications.parse(bytes)) {
            ObjectNode line = mapper.createObjectNode();
            if (announcement instanceof Announcement.Ingest ingest) {
                var notice = ingest.notice();
                line.put("bucket", notice.bucket()).put("key", notice.key());
                line.put("versionId", notice.versionId().orElse(null)).put("size", notice.size());
                var route = routing.route(notice.key());
                if (route.isPresent()) {
                    line.put("action", "ingest").put("dataset", route.get().dataset());
                } else {
                    line.put("action", "ingest").put("reason", "no route for this key: quarantined whole");
                }
            } else if (announcement instanceof Announcement.Ignore ignore) {
                line.put("bucket", ignore.bucket()).put("key", ignore.key());
                line.put("action", "ignore").put("reason", ignore.reason());
            }
            plan.add(line);
        }
        return plan;
    }
}
