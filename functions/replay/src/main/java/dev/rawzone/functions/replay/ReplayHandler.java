package dev.rawzone.functions.replay;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.event.EventPlanner;
import dev.rawzone.core.observe.CountsPublisher;
import dev.rawzone.core.observe.InvocationFigures;
import dev.rawzone.core.pull.TimeBudget;
import dev.rawzone.core.replay.ReplayEngine;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.ReplayManifests;
import dev.rawzone.core.replay.ReplayProgress;
import dev.rawzone.core.replay.ReplayReport;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * ReplayFunction and ReplayVerifyFunction: a replay event in (events/README.md), and one of four things done with
 * the mode's units: the whole run within the Lambda's remaining time, or for the Step Functions state machine the
 * run's plan, one item of its Distributed Map, or the run's conclusion over the map's results. Prints one line per
 * unit (a conclusion: per problem) and the totals on standard output (the function's log); responds with the report.
 * A FAILED item throws ({@link UnitFailedException}) so the map retries it; a mode the function's environment does
 * not allow is refused ({@link ModeNotAllowedException}).
 */
public final class ReplayHandler implements RequestStreamHandler, EventPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayHandler.class);
    /** A conclusion's response goes into the execution's state (256 KiB at most): the manifest lists every problem. */
    private static final int PROBLEMS_LISTED_IN_CONCLUSION = 20;

    private final ReplayWiring wiring;
    private final ReplayModes modes;
    private final PrintStream out;
    private final ObjectMapper mapper;
    private final ReplayPlans plans;
    private final ReplayManifests manifests;
    private final MapResults mapResults;
    private final CountsPublisher publisher;

    public ReplayHandler() {
        this(System.getenv());
    }

    /** Wired from the given environment instead of the process's. */
    public ReplayHandler(Map<String, String> environment) {
        this(ReplayWiring.fromEnvironment(environment), new BuiltInModes(), System.out);
    }

    /** Over given wiring and modes, printing unit lines to {@code out} (tests pass their own units). */
    ReplayHandler(ReplayWiring wiring, ReplayModes modes, PrintStream out) {
        this.wiring = wiring;
        this.modes = modes;
        this.out = out;
        this.mapper = wiring.mapper();
        this.plans = new ReplayPlans(wiring.raw(), mapper);
        this.manifests = new ReplayManifests(wiring.raw(), mapper);
        this.mapResults = new MapResults(wiring.s3(), wiring.settings().rawBucket(), mapper);
        this.publisher = new CountsPublisher(wiring.metrics());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        ObjectNode response = PowertoolsLogging.withLogging(context, () -> handle(event, context));
        mapper.writeValue(output, response);
    }

    ObjectNode handle(byte[] event, Context context) {
        ReplayRequest request = allowed(ReplayRequest.parse(event, mapper));
        ReplayRun run = ReplayRun.of(request.runIdOrGenerated(wiring.clock()), request.mode(), request.dryRun(),
                wiring.settings().pipelineVersion());
        TimeBudget budget = TimeBudget.of(context::getRemainingTimeInMillis, wiring.reserve());
        ReplayEngine engine = new ReplayEngine(modes.units(request.mode(), wiring, budget), manifests);
        if (request.item().isPresent()) {
            return one(engine, request.item().get(), run);
        }
        if (request.plan()) {
            return plan(engine, request, run);
        }
        if (request.results().isPresent()) {
            return conclude(engine, request, run);
        }
        return whole(engine, request, run, budget);
    }

    private ReplayRequest allowed(ReplayRequest request) {
        if (!wiring.modes().contains(request.mode())) {
            throw new ModeNotAllowedException(request.mode(), wiring.modes());
        }
        return request;
    }

    private ObjectNode whole(ReplayEngine engine, ReplayRequest request, ReplayRun run, TimeBudget budget) {
        ReplayReport report = engine.run(request.selection(), run, budget, ReplayProgress.standard(request.progressEvery()));
        print(report, report.results());
        publisher.publish(InvocationFigures.of(report.totals()));
        return response(report, report.problems().size());
    }

    /** The map's items published their own counts: the conclusion publishes none, so nothing counts twice. */
    private ObjectNode conclude(ReplayEngine engine, ReplayRequest request, ReplayRun run) {
        List<UnitResult> results = mapResults.read(request.results().get(), run, plans.items(run));
        ReplayReport report = engine.conclude(request.selection(), run, results);
        print(report, report.problems());
        return response(report, PROBLEMS_LISTED_IN_CONCLUSION);
    }

    private void print(ReplayReport report, List<UnitResult> units) {
        units.forEach(result -> out.println(UnitLines.unit(result)));
        String totals = UnitLines.totals(report);
        out.println(totals);
        out.flush();
        if (report.exitCode() == 0) {
            LOG.info(totals);
        } else {
            LOG.warn(totals);
        }
    }

    private ObjectNode plan(ReplayEngine engine, ReplayRequest request, ReplayRun run) {
        List<ReplayItem> items = engine.plan(request.selection());
        ReplayPlans.Listing listing = plans.write(run, items);
        String line = listing.written()
                ? "planned " + listing.items() + " units of replay " + run.mode().label() + " " + run.runId()
                : "replay " + run.runId() + " was planned before: its " + listing.items() + " units stand";
        out.println(line + " in s3://" + wiring.settings().rawBucket() + "/" + listing.key());
        out.flush();
        LOG.info(line);
        ObjectNode response = mapper.createObjectNode();
        response.put("run_id", run.runId());
        response.put("bucket", wiring.settings().rawBucket());
        response.put("key", listing.key());
        response.put("items", listing.items());
        return response;
    }

    private ObjectNode one(ReplayEngine engine, ReplayItem item, ReplayRun run) {
        UnitResult result = engine.runOne(item, run);
        String line = UnitLines.unit(result);
        out.println(line);
        out.flush();
        publisher.publish(InvocationFigures.of(result.counts()));
        if (result.status() == UnitStatus.FAILED) {
            LOG.error(line);
            throw UnitFailedException.of(result, mapper);
        }
        LOG.info(line);
        return result.toJson(mapper);
    }

    /** @param problemsListed how many of the report's problems to list (all are in its manifest) */
    private ObjectNode response(ReplayReport report, int problemsListed) {
        ObjectNode response = mapper.createObjectNode();
        response.put("run_id", report.run().runId());
        response.put("mode", report.run().mode().label());
        response.put("dry_run", report.run().dryRun());
        response.put("units", report.results().size());
        response.set("by_status", mapper.valueToTree(report.byStatus()));
        response.set("counts", mapper.valueToTree(report.totals().asMap()));
        ArrayNode problems = response.putArray("problems");
        for (UnitResult problem : report.problems().subList(0, Math.min(problemsListed, report.problems().size()))) {
            problems.addObject().put("key", problem.item().key()).put("status", problem.status().name())
                    .put("detail", problem.detail());
        }
        response.put("manifest", report.manifest().orElse(null));
        response.put("problem_count", report.problems().size());
        response.put("stopped_early", report.stoppedEarly());
        response.put("exit_code", report.exitCode());
        response.put("totals", UnitLines.totals(report));
        return response;
    }

    /** Dry run of the event itself: the units it would work on, listing only, nothing written. */
    @Override
    public List<ObjectNode> plan(InputStream event) {
        byte[] bytes;
        try {
            bytes = event.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ReplayRequest request = allowed(ReplayRequest.parse(bytes, mapper));
        List<ReplayItem> items = request.item().map(List::of).orElseGet(() -> modes
                .units(request.mode(), wiring, TimeBudget.unlimited()).plan(request.selection()));
        return items.stream().map(item -> item.toJson(mapper).put("mode", request.mode().label())).toList();
    }
}
