package dev.rawzone.functions.pull;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.event.EventJson;
import dev.rawzone.core.event.EventPlanner;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.pull.InvalidPullConfigException;
import dev.rawzone.core.pull.PullSource;
import dev.rawzone.core.pull.PullSources;
import dev.rawzone.core.pull.SourcePuller;
import dev.rawzone.core.pull.SourceSelection;
import dev.rawzone.core.pull.TimeBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PullIngestFunction: an EventBridge schedule in ({@code detail} {@code {}} for every configured source, or naming
 * one), each source pulled from its checkpoint into the raw zone, a report per source out. A run stops cleanly
 * before the Lambda timeout and the next one resumes. If a source failed (for any reason, an unexpected error
 * included: the puller turns it into that source's report), the invocation fails after the others ran (Lambda
 * retries it, then sends it to the on-failure destination); its checkpoint is where it was.
 */
public final class PullIngestHandler implements RequestHandler<ScheduledEvent, Map<String, Object>>, EventPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(PullIngestHandler.class);

    private final PullIngestWiring wiring;
    private final ObjectMapper mapper;
    private final SourcePuller puller;

    public PullIngestHandler() {
        this(System.getenv());
    }

    /** Wired from the given environment instead of the process's (the simulation runs many side by side). */
    public PullIngestHandler(Map<String, String> environment) {
        this(PullIngestWiring.fromEnvironment(environment));
    }

    PullIngestHandler(PullIngestWiring wiring) {
        this.wiring = wiring;
        this.mapper = wiring.mapper();
        this.puller = wiring.puller();
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        JsonNode detail = event == null || event.getDetail() == null ? null : mapper.valueToTree(event.getDetail());
        PullReport report = PowertoolsLogging.withLogging(context, () -> pull(detail, context));
        if (report.failed()) {
            throw new PullFailedException(report.failureSummary());
        }
        return mapper.convertValue(report.toJson(mapper), new TypeReference<Map<String, Object>>() { });
    }

    PullReport pull(JsonNode detail, Context context) {
        List<PullSource> selected = SourceSelection.select(detail, wiring.sources().get());
        TimeBudget budget = TimeBudget.of(context::getRemainingTimeInMillis, wiring.reserve());
        RunContext run = new RunContext(wiring.settings().pipelineVersion(), context.getAwsRequestId());
        PullReport report = new PullReport();
        for (PullSource source : selected) {
            report.add(puller.pull(source, budget, run));
        }
        ObjectNode json = report.toJson(mapper);
        if (report.failed()) {
            LOG.error("pull finished with failures: {}", json);
        } else {
            LOG.info("pull finished: {}", json);
        }
        wiring.metrics().publish(report, puller::checkpointAge);
        return report;
    }

    /** Dry run: which sources the event selects and where each would start, without calling any API. */
    @Override
    public List<ObjectNode> plan(InputStream event) {
        JsonNode root = EventJson.object(event, mapper, "event");
        Optional<List<String>> requested = SourceSelection.requested(root.get("detail"));
        PullSources sources;
        try {
            sources = wiring.sources().get();
        } catch (SdkException | InvalidPullConfigException e) {
            ObjectNode line = mapper.createObjectNode().put("action", "pull")
                    .put("sources", requested.map(names -> String.join(", ", names)).orElse("every configured source"))
                    .put("note", "the sources configuration could not be read (" + firstLine(e)
                            + "), so this plan is the event's alone");
            return List.of(line);
        }
        List<ObjectNode> plan = new ArrayList<>();
        for (PullSource source : SourceSelection.select(root.get("detail"), sources)) {
            plan.add(puller.plan(source));
        }
        return plan;
    }

    private static String firstLine(Exception e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
    }
}
