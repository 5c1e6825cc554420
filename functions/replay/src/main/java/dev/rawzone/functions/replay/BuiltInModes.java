package dev.rawzone.functions.replay;

import dev.rawzone.core.kinesis.KinesisIngester;
import dev.rawzone.core.kinesis.RecordClassifier;
import dev.rawzone.core.kinesis.ShardLedgers;
import dev.rawzone.core.pull.DrawTimeRandom;
import dev.rawzone.core.pull.PageFetcher;
import dev.rawzone.core.pull.Sleeper;
import dev.rawzone.core.pull.SourcePuller;
import dev.rawzone.core.pull.TimeBudget;
import dev.rawzone.core.read.ReaderLimits;
import dev.rawzone.core.replay.ReplayMode;
import dev.rawzone.core.replay.ReplayUnits;
import dev.rawzone.core.replay.rebuild.RebuildUnits;
import dev.rawzone.core.replay.redrive.FailureQueue;
import dev.rawzone.core.replay.redrive.KinesisFailures;
import dev.rawzone.core.replay.redrive.MessageRedrive;
import dev.rawzone.core.replay.redrive.PullDeadLetters;
import dev.rawzone.core.replay.redrive.RedriveUnits;
import dev.rawzone.core.replay.redrive.S3DeadLetters;
import dev.rawzone.core.replay.release.QuarantineRelease;
import dev.rawzone.core.replay.verify.VerifyUnits;
import dev.rawzone.core.s3.S3ObjectIngester;
import dev.rawzone.core.validate.RecordValidator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The three modes, each built from the wiring for one invocation. A redrive hides each message it reads for
 * {@link #VISIBILITY}, longer than one message's re-drive takes, so two redrives at once never work on one message.
 */
final class BuiltInModes implements ReplayModes {
    static final Duration VISIBILITY = Duration.ofMinutes(15);

    @Override
    public ReplayUnits units(ReplayMode mode, ReplayWiring wiring, TimeBudget budget) {
        return switch (mode) {
            case VERIFY -> new VerifyUnits(wiring.s3(), wiring.kinesis(), wiring.raw(), wiring.settings().rawBucket(),
                    wiring.routing().get(), wiring.catalogue(), wiring.settings().partPolicy(), ReaderLimits.defaults(),
                    wiring.mapper());
            case REBUILD -> new RebuildUnits(wiring.raw(), wiring.catalogue(), wiring.routing().get(), wiring.mapper());
            case REDRIVE -> new RedriveUnits(destinations(wiring, budget),
                    new QuarantineRelease(wiring.raw(), wiring.catalogue(), wiring.mapper()),
                    () -> budget.allows(Duration.ofMinutes(1)));
        };
    }

    private static Map<String, RedriveUnits.Destination> destinations(ReplayWiring wiring, TimeBudget budget) {
        Map<String, RedriveUnits.Destination> destinations = new LinkedHashMap<>();
        wiring.failureQueues().forEach((source, url) -> destinations.put(source, new RedriveUnits.Destination(
                new FailureQueue(wiring.sqs(), url, VISIBILITY), redrive(source, wiring, budget))));
        return destinations;
    }

    private static MessageRedrive redrive(String source, ReplayWiring wiring, TimeBudget budget) {
        return switch (source) {
            case "s3" -> new S3DeadLetters(new S3ObjectIngester(wiring.s3(), wiring.raw(), wiring.settings().rawBucket(),
                    wiring.routing().get(), wiring.catalogue(), wiring.settings().partPolicy(), ReaderLimits.defaults(),
                    wiring.mapper()), wiring.mapper());
            case "kinesis" -> {
                ShardLedgers ledgers = new ShardLedgers(wiring.checkpoints());
                RecordClassifier classifier = new RecordClassifier(wiring.streamRouting().get(),
                        new RecordValidator(wiring.catalogue()));
                yield new KinesisFailures(wiring.kinesis(), new KinesisIngester(wiring.raw(), ledgers, classifier,
                        wiring.settings().partPolicy(), wiring.mapper()), ledgers, wiring.raw(), wiring.mapper());
            }
            case "pull" -> new PullDeadLetters(new SourcePuller(wiring.checkpoints(), wiring.raw(),
                    PageFetcher.create(wiring.clock(), Sleeper.real(), new DrawTimeRandom()), wiring.secrets(),
                    wiring.catalogue(), wiring.settings().partPolicy(), wiring.mapper(), wiring.clock(),
                    SourcePuller.DEFAULT_SEEN_CAP, SourcePuller.DEFAULT_MAX_QUERY_PAGES,
                    SourcePuller.DEFAULT_SEEN_INLINE_BYTES), wiring.pullSources(), budget, wiring.mapper());
            default -> throw new IllegalStateException("no redrive for failure destination of source " + source);
        };
    }
}
