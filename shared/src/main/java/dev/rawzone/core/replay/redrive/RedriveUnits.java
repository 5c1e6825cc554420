package dev.rawzone.core.replay.redrive;

import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.ReplaySelection;
import dev.rawzone.core.replay.ReplayUnits;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The redrive mode: one unit per failure destination (the S3 DLQ, the Kinesis on-failure queue, the pull DLQ),
 * drained message by message, each deleted only after its records are settled (or reported lost); with
 * {@code quarantine} in the selection, the quarantine release's units instead.
 */
public final class RedriveUnits implements ReplayUnits {
    public static final String QUEUE = "queue";

    /** A failure destination and how its messages are re-driven. */
    public record Destination(FailureQueue queue, MessageRedrive redrive) {
    }

    private final Map<String, Destination> destinations;
    private final ReplayUnits release;
    private final BooleanSupplier timeLeft;

    /**
     * @param destinations by source ({@code s3}, {@code kinesis}, {@code pull}), in the order they are drained
     * @param release      the quarantine release's units
     * @param timeLeft     whether another message may be started
     */
    public RedriveUnits(Map<String, Destination> destinations, ReplayUnits release, BooleanSupplier timeLeft) {
        this.destinations = new LinkedHashMap<>(destinations);
        this.release = release;
        this.timeLeft = timeLeft;
    }

    @Override
    public List<ReplayItem> plan(ReplaySelection selection) {
        if (selection.quarantine()) {
            return release.plan(selection);
        }
        List<ReplayItem> items = new ArrayList<>();
        destinations.forEach((source, destination) -> {
            if (selection.source().map(source::equals).orElse(true)) {
                items.add(new ReplayItem(QUEUE, destination.queue().url(), Map.of("source", source)));
            }
        });
        return items;
    }

    @Override
    public UnitResult run(ReplayItem item, ReplayRun run) {
        if (!item.kind().equals(QUEUE)) {
            return release.run(item, run);
        }
        Destination destination = destinations.get(item.attribute("source"));
        if (destination == null) {
            throw new IllegalArgumentException("no failure destination is configured for source "
                    + item.attribute("source"));
        }
        return drain(item, destination, run);
    }

    private UnitResult drain(ReplayItem item, Destination destination, ReplayRun run) {
        Counts counts = Counts.ZERO;
        List<String> read = new ArrayList<>();
        List<String> written = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int settled = 0;
        int lost = 0;
        int kept = 0;
        boolean outOfTime = false;
        Set<String> seen = new HashSet<>();
        for (boolean more = true; more; ) {
            // Checked before each message is received (a drain receives one at a time): a message started is
            // finished, and none is hidden that will not be started.
            if (!run.dryRun() && !timeLeft.getAsBoolean()) {
                outOfTime = true;
                break;
            }
            List<Message> received = next(destination.queue(), run);
            if (received.stream().anyMatch(message -> !seen.add(message.messageId()))) {
                break; // a message kept earlier in this drain is visible again: the queue has come round
            }
            for (Message message : received) {
                MessageOutcome outcome = destination.redrive().redrive(message.body(), run);
                counts = counts.plus(outcome.counts());
                read.addAll(outcome.read());
                written.addAll(outcome.written());
                switch (outcome.disposition()) {
                    case SETTLED -> {
                        destination.queue().delete(message);
                        settled++;
                    }
                    case LOST -> {
                        destination.queue().delete(message);
                        lost++;
                        notes.add(outcome.detail());
                    }
                    case KEEP -> {
                        kept++;
                        notes.add(outcome.detail());
                    }
                    case PLANNED -> notes.add(outcome.detail());
                }
            }
            more = !received.isEmpty() && !run.dryRun();
        }
        UnitStatus status = lost > 0 ? UnitStatus.LOST : kept > 0 ? UnitStatus.FAILED
                : run.dryRun() ? UnitStatus.PLANNED : settled > 0 ? UnitStatus.DONE
                : outOfTime ? UnitStatus.NOT_REACHED : UnitStatus.ALREADY_DONE;
        String summary = run.dryRun()
                ? "about " + destination.queue().approximateDepth() + " messages; would re-drive " + String.join("; ", notes)
                : settled + " messages settled and deleted, " + lost + " lost at the source, " + kept + " kept"
                + (outOfTime ? "; the time ran out: a message left waits for the next redrive" : "")
                + (notes.isEmpty() ? "" : ": " + String.join("; ", notes));
        return new UnitResult(item, status, summary, counts, read, written, 0);
    }

    private static List<Message> next(FailureQueue queue, ReplayRun run) {
        return run.dryRun() ? queue.peek() : queue.receive();
    }
}
