package dev.rawzone.simulation;

import dev.rawzone.core.config.IngestSettings;
import dev.rawzone.core.pull.TimeBudget;
import dev.rawzone.core.read.ReaderLimits;
import dev.rawzone.core.replay.ReplayEngine;
import dev.rawzone.core.replay.ReplayManifests;
import dev.rawzone.core.replay.ReplayMode;
import dev.rawzone.core.replay.ReplayProgress;
import dev.rawzone.core.replay.ReplayReport;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.ReplaySelection;
import dev.rawzone.core.replay.ReplayUnits;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.core.replay.rebuild.RebuildUnits;
import dev.rawzone.core.replay.rederive.WholeObjectCopies;
import dev.rawzone.core.replay.redrive.FailureQueue;
import dev.rawzone.core.replay.redrive.KinesisFailures;
import dev.rawzone.core.replay.redrive.RedriveUnits;
import dev.rawzone.core.replay.redrive.S3DeadLetters;
import dev.rawzone.core.replay.release.QuarantineRelease;
import dev.rawzone.core.replay.verify.VerifyUnits;
import dev.rawzone.core.route.Routing;
import dev.rawzone.core.s3.S3ObjectIngester;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaSources;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.S3ConditionalSink;
import dev.rawzone.simulation.faults.CrashPlan;
import dev.rawzone.simulation.faults.CrashPoint;
import dev.rawzone.simulation.faults.SimulatedCrash;
import dev.rawzone.simulation.audit.ZoneSnapshot;
import dev.rawzone.core.config.AwsJsonCall;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static dev.rawzone.simulation.Faults.Calls;
import static dev.rawzone.simulation.Faults.CrashTarget;
import static dev.rawzone.testkit.FaultInjectingProxy.putTo;

/**
 * The replay runs of one scenario, as an operator (or the state machine) makes them: a run that crashes or fails
 * is started again under the same run id until it settles; its first attempt is sometimes two runs at once. Each
 * run builds its mode afresh (a new container), its S3 calls going through the fault-injecting proxy.
 */
final class ReplayRuns {
    static final String ROUTES = Lab.config(SimulatedConfig.S3_ROUTES);
    static final String SCHEMAS = Lab.config(SimulatedConfig.SCHEMAS);
    static final String STREAM_ROUTES = Lab.config(SimulatedConfig.STREAM_ROUTES);
    private static final int MAX_ATTEMPTS = 6;
    /** Short, so that a re-run after a crash sees the message again without a long wait. */
    private static final Duration VISIBILITY = Duration.ofSeconds(1);
    private static Faults faults(Lab lab) {
        return new Faults(
            List.of(new CrashTarget("PutObject", "raw/"), new CrashTarget("PutObject", "quarantine/"),
                    new CrashTarget("PutObject", "manifests/replay/"), new CrashTarget("GetObject", "raw/"),
                    new CrashTarget("GetObject", "quarantine/"), new CrashTarget("HeadObject", "raw/"),
                    new CrashTarget("HeadObject", "quarantine/"), new CrashTarget("GetObject", "manifests/"),
                    new CrashTarget("ListObjectsV2", ""), new CrashTarget("ReceiveMessage", ""),
                    new CrashTarget("DeleteMessage", ""), new CrashTarget("GetRecords", ""),
                    new CrashTarget("UpdateItem", lab.table), new CrashTarget("PutItem", lab.table),
                    new CrashTarget("GetItem", lab.table)),
            List.of(new Calls("PUT raw/", putTo("/" + lab.raw + "/raw/")),
                    new Calls("PUT quarantine/", putTo("/" + lab.raw + "/quarantine/")),
                    new Calls("PUT manifests/", putTo("/" + lab.raw + "/manifests/")),
                    new Calls("GET raw bucket", request -> request.method().equals("GET")
                            && request.path().startsWith("/" + lab.raw + "/"))));
    }

    /**
     * Where {@link #stopped} crashes a release (its first or second part's): right after its claim, after its
     * released part, before its marker beside the quarantine part.
     */
    private static final List<CrashPoint> RELEASE_STOPS = List.of(
            new CrashPoint("PutObject", "manifests/replay/claims/", 1, CrashPoint.When.AFTER),
            new CrashPoint("PutObject", "raw/", 1, CrashPoint.When.AFTER),
            new CrashPoint("PutObject", "quarantine/", 1, CrashPoint.When.BEFORE));
    /** And a rebuild: right after a claim, after a derived part, before a unit marker. */
    private static final List<CrashPoint> REBUILD_STOPS = List.of(
            new CrashPoint("PutObject", "manifests/replay/claims/", 1, CrashPoint.When.AFTER),
            new CrashPoint("PutObject", "raw/", 1, CrashPoint.When.AFTER),
            new CrashPoint("PutObject", "quarantine/", 1, CrashPoint.When.AFTER),
            new CrashPoint("PutObject", "manifests/replay/rebuild/", 1, CrashPoint.When.BEFORE));

    /** What a replay step does. */
    enum Step {
        REBUILD(ReplayMode.REBUILD, "rebuild"), RELEASE(ReplayMode.REDRIVE, "quarantine release"),
        REDRIVE_S3(ReplayMode.REDRIVE, "redrive of the S3 dead letters"),
        REDRIVE_KINESIS(ReplayMode.REDRIVE, "redrive of the Kinesis on-failure range"),
        REDRIVE_PULL(ReplayMode.REDRIVE, "redrive of the pull dead letter");

        final ReplayMode mode;
        final String label;

        Step(ReplayMode mode, String label) {
            this.mode = mode;
            this.label = label;
        }
    }

    /**
     * The modes' clients, through the proxy, and the failure queues.
     *
     * @param deadLetters     the S3 ingest's dead-letter queue
     * @param kinesisFailures the stream's on-failure queue
     * @param pullFailures    the pull function's dead-letter queue
     */
    record Clients(S3Client s3, SqsClient sqs, KinesisClient kinesis, AwsJsonCall dynamoDb, String deadLetters,
                   String kinesisFailures, String pullFailures) {
    }

    private final long seed;
    private final Random random;
    private final Lab lab;
    private final Clients clients;
    private final Map<String, String> environment;
    private final List<String> story;
    private final ScenarioResult result;
    private boolean lostAtSourceDeclared;
    private PullDeadLetter pullDeadLetter;

    /**
     * @param environment the ingest function's environment (its part policy is the one verify re-reads with)
     */
    ReplayRuns(long seed, Random random, Lab lab, Clients clients, Map<String, String> environment, List<String> story,
               ScenarioResult result) {
        this.seed = seed;
        this.random = random;
        this.lab = lab;
        this.clients = clients;
        this.environment = environment;
        this.story = story;
        this.result = result;
    }

    /** Runs the step until a run of it completes with every unit done; then checks that running it again writes nothing. */
    void untilSettled(Step step) {
        String runId = runId(step);
        if (!attempts(step, runId)) {
            result.violations.add("the " + step.label + " never settled in " + MAX_ATTEMPTS + " runs");
            return;
        }
        writesNothing(step, runId, "the " + step.label + " re-run under its run id");
        if (random.nextInt(3) == 0) {
            writesNothing(step, runId + "-again", "the same " + step.label + " again under a new run id");
        }
    }

    /**
     * One run of the step that stops at a crash placed in a window of the re-derivation (after a claim or a derived
     * part, before a marker), and is not re-run now: what it left is for the other mode, or its own re-run later.
     */
    void stopped(Step step) {
        List<CrashPoint> stops = step == Step.RELEASE ? RELEASE_STOPS : REBUILD_STOPS;
        CrashPoint stop = stops.get(random.nextInt(stops.size()));
        CrashPoint point = new CrashPoint(stop.operation(), stop.target(), 1 + random.nextInt(2), stop.when());
        CrashPlan.arm(point);
        try {
            run(step, runId(step));
            story.add(step.label + " run 1 (crash " + point + ") left as it ended");
        } catch (SimulatedCrash crash) {
            story.add(step.label + " run 1 crashed (" + crash.getMessage() + ") and is left for now");
        } finally {
            Faults.clear(lab.proxy);
        }
    }

    /** The two steps' first runs at the same moment, each under its own run id; neither re-run here. */
    void atOnce(Step first, Step second) {
        story.add(first.label + " and " + second.label + " at once");
        for (Object outcome : Concurrently.run(() -> run(first, runId(first)), () -> run(second, runId(second)))) {
            if (outcome instanceof ReplayReport report) {
                report.problems().stream().filter(problem -> problem.status() != UnitStatus.FAILED)
                        .forEach(problem -> result.violations.add("at once: " + describe(problem)));
            } else {
                story.add("one of the two runs failed (" + outcome + ")");
            }
        }
    }

    /** The Kinesis redrive is to report a range lost at the source: its unit ends LOST, which settles it. */
    void declareLostAtSource(boolean declared) {
        lostAtSourceDeclared = declared;
    }

    /** The pull run whose dead letter {@link Step#REDRIVE_PULL} re-drives. */
    void pullDeadLetter(PullDeadLetter deadLetter) {
        pullDeadLetter = deadLetter;
    }

    /** Once the redrives settled, no message is left on a failure queue, visible or not. */
    void checkDrained() {
        checkDrained(clients.deadLetters());
        checkDrained(clients.kinesisFailures());
        checkDrained(clients.pullFailures());
    }

    private void checkDrained(String queue) {
        Map<QueueAttributeName, String> depth = lab.sqs.getQueueAttributes(a -> a.queueUrl(queue)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        if (depth.values().stream().anyMatch(count -> !count.equals("0"))) {
            result.violations.add(queue + " still holds messages after the redrive settled: " + depth);
        }
    }

    /** The verify mode over the whole zone: every unit OK. */
    void verify() {
        ConditionalSink raw = new S3ConditionalSink(lab.s3, lab.raw);
        SchemaCatalogue catalogue = new SchemaCatalogue(SchemaSources.fromLocation(SCHEMAS, () -> lab.s3));
        ReplayUnits units = new VerifyUnits(lab.s3, lab.kinesis, raw, lab.raw, Routing.load(ROUTES, () -> lab.s3), catalogue,
                IngestSettings.fromEnvironment(environment).partPolicy(), ReaderLimits.defaults(), S3Simulation.MAPPER);
        ReplayReport report = engine(units, raw).run(ReplaySelection.ALL,
                ReplayRun.of("sim-" + seed + "-verify", ReplayMode.VERIFY, false, "simulation"), TimeBudget.unlimited(),
                ReplayProgress.silent());
        report.problems().forEach(problem -> result.violations.add("verify: " + describe(problem)));
    }

    private boolean attempts(Step step, String runId) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (attempt == 1 && random.nextInt(4) == 0) {
                story.add(step.label + ": two runs at once");
                boolean settled = true;
                for (Object outcome : Concurrently.run(() -> run(step, runId), () -> run(step, runId))) {
                    settled &= outcome instanceof ReplayReport report ? settled(step, report)
                            : failed(step, "one of the two runs failed (" + outcome + ")");
                }
                if (settled) {
                    return true;
                }
                awaitVisibility();
                continue;
            }
            boolean faulty = attempt <= 3 && random.nextInt(3) != 0;
            String fault = faulty ? faults(lab).inject(random, lab.proxy) : "none";
            try {
                ReplayReport report = run(step, runId);
                Faults.clear(lab.proxy);
                if (settled(step, report)) {
                    return true;
                }
                story.add(step.label + " run " + attempt + " (" + fault + ") left units failed");
            } catch (SimulatedCrash crash) {
                Faults.clear(lab.proxy);
                story.add(step.label + " run " + attempt + " crashed (" + crash.getMessage() + ")");
            } catch (RuntimeException e) {
                Faults.clear(lab.proxy);
                story.add(step.label + " run " + attempt + " failed (" + fault + ": " + e + ")");
            }
            result.failedThenRetried++;
            if (step.mode == ReplayMode.REDRIVE && step != Step.RELEASE) {
                awaitVisibility();
            }
        }
        return false;
    }

    /** Whether every unit is done; a problem other than a unit that failed (and may be re-run) is a violation. */
    private boolean settled(Step step, ReplayReport report) {
        result.duplicatesSkipped += report.totals().duplicates();
        boolean settled = true;
        for (UnitResult problem : report.problems()) {
            if (step == Step.REDRIVE_KINESIS && lostAtSourceDeclared && problem.status() == UnitStatus.LOST) {
                continue;
            }
            settled = false;
            if (problem.status() != UnitStatus.FAILED) {
                result.violations.add(step.label + ": " + describe(problem));
            }
        }
        return settled && !report.stoppedEarly();
    }

    private boolean failed(Step step, String what) {
        story.add(step.label + ": " + what);
        return false;
    }

    /**
     * A run once the step settled: no unit does anything (a whole-object copy is only reported, OK), and no key
     * appears but the run's own manifest.
     */
    private void writesNothing(Step step, String runId, String what) {
        ZoneSnapshot before = ZoneSnapshot.keys(lab.s3, lab.raw);
        ReplayReport report;
        try {
            report = run(step, runId);
        } catch (RuntimeException e) {
            result.violations.add(what + " failed: " + e);
            return;
        }
        String manifests = ReplayManifests.prefix(step.mode, runId);
        Set<String> added = new TreeSet<>(ZoneSnapshot.keys(lab.s3, lab.raw).addedSince(before));
        added.removeIf(key -> key.startsWith(manifests));
        if (!added.isEmpty()) {
            result.violations.add(what + " wrote " + added);
        }
        for (UnitResult unit : report.results()) {
            UnitStatus expected = unit.item().kind().equals(WholeObjectCopies.WHOLE_OBJECT) ? UnitStatus.OK
                    : UnitStatus.ALREADY_DONE;
            if (unit.status() != expected) {
                result.violations.add(what + ": " + describe(unit) + " (expected " + expected + ")");
            }
        }
        result.duplicatesSkipped += report.totals().duplicates();
    }

    /** A message a crashed or failed redrive received is hidden until its visibility timeout ends. */
    private static void awaitVisibility() {
        try {
            Thread.sleep(VISIBILITY.toMillis() + 100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ReplayReport run(Step step, String runId) {
        S3Client s3 = clients.s3();
        ConditionalSink raw = new S3ConditionalSink(s3, lab.raw);
        SchemaCatalogue catalogue = new SchemaCatalogue(SchemaSources.fromLocation(SCHEMAS, () -> s3));
        QuarantineRelease release = new QuarantineRelease(raw, catalogue, S3Simulation.MAPPER);
        ReplayUnits units = switch (step) {
            case REBUILD -> new RebuildUnits(raw, catalogue, Routing.load(ROUTES, () -> s3), S3Simulation.MAPPER);
            case RELEASE -> new RedriveUnits(Map.of(), release, () -> true);
            case REDRIVE_S3 -> new RedriveUnits(Map.of("s3", new RedriveUnits.Destination(
                    new FailureQueue(clients.sqs(), clients.deadLetters(), VISIBILITY),
                    new S3DeadLetters(new S3ObjectIngester(s3, raw, lab.raw, Routing.load(ROUTES, () -> s3), catalogue,
                            IngestSettings.fromEnvironment(environment).partPolicy(), ReaderLimits.defaults(),
                            S3Simulation.MAPPER), S3Simulation.MAPPER))), release, () -> true);
            case REDRIVE_KINESIS -> new RedriveUnits(Map.of("kinesis", new RedriveUnits.Destination(
                    new FailureQueue(clients.sqs(), clients.kinesisFailures(), VISIBILITY),
                    new KinesisFailures(clients.kinesis(), KinesisFailureRange.ingester(lab, s3, clients.dynamoDb(),
                            partRecords()), KinesisFailureRange.ledgers(lab, clients.dynamoDb()), raw,
                            S3Simulation.MAPPER))), release, () -> true);
            case REDRIVE_PULL -> new RedriveUnits(Map.of("pull", new RedriveUnits.Destination(
                    new FailureQueue(clients.sqs(), clients.pullFailures(), VISIBILITY),
                    pullDeadLetter.redrive(s3, clients))), release, () -> true);
        };
        return engine(units, raw).run(selection(step), ReplayRun.of(runId, step.mode, false, "simulation"),
                TimeBudget.unlimited(), ReplayProgress.silent());
    }

    private String runId(Step step) {
        return "sim-" + seed + "-" + step.name().toLowerCase(java.util.Locale.ROOT);
    }

    int partRecords() {
        return IngestSettings.fromEnvironment(environment).partPolicy().maxRecords();
    }

    private static ReplayEngine engine(ReplayUnits units, ConditionalSink raw) {
        return new ReplayEngine(units, new ReplayManifests(raw, S3Simulation.MAPPER));
    }

    /** The rebuild selects every source (the S3 objects' parts and the Kinesis stream's); the others one each. */
    private static ReplaySelection selection(Step step) {
        Optional<String> source = switch (step) {
            case REBUILD -> Optional.empty();
            case REDRIVE_KINESIS -> Optional.of("kinesis");
            case REDRIVE_PULL -> Optional.of("pull");
            default -> Optional.of("s3");
        };
        return new ReplaySelection(source, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(), step == Step.RELEASE, Optional.empty());
    }

    private static String describe(UnitResult unit) {
        return unit.status() + " " + unit.item().key() + ": " + unit.detail();
    }
}
