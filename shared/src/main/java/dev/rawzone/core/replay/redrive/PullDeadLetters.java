package dev.rawzone.core.replay.redrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.event.MalformedEventException;
import dev.rawzone.core.pull.InvalidPullConfigException;
import dev.rawzone.core.pull.PullSource;
import dev.rawzone.core.pull.PullSources;
import dev.rawzone.core.pull.PullStatus;
import dev.rawzone.core.pull.SourcePuller;
import dev.rawzone.core.pull.SourceReport;
import dev.rawzone.core.pull.SourceSelection;
import dev.rawzone.core.pull.TimeBudget;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.redrive.MessageOutcome.Disposition;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Re-drives a message of the pull function's failure queue: the scheduled event it holds names a source (or every
 * source), and each is pulled again. A pull resumes from the source's checkpoint, which moves only after a page's
 * parts exist, so a redrive writes nothing twice; the message is settled once every source has caught up.
 */
public final class PullDeadLetters implements MessageRedrive {
    private final SourcePuller puller;
    private final Supplier<PullSources> sources;
    private final TimeBudget budget;
    private final ObjectMapper mapper;

    /**
     * @param sources the configured sources, read at each message (an edited configuration takes effect)
     * @param budget  the time the redrive may still use; a pull stops cleanly (PAUSED) before it runs out
     */
    public PullDeadLetters(SourcePuller puller, Supplier<PullSources> sources, TimeBudget budget, ObjectMapper mapper) {
        this.puller = puller;
        this.sources = sources;
        this.budget = budget;
        this.mapper = mapper;
    }

    @Override
    public MessageOutcome redrive(String body, ReplayRun run) {
        FailedInvocation failed;
        List<PullSource> selected;
        try {
            failed = FailedInvocation.read(body, mapper);
            selected = SourceSelection.select(scheduledDetail(failed.event()), sources.get());
        } catch (MalformedEventException e) {
            return kept("kept, not a scheduled pull event this redrive can read: " + e.getMessage());
        } catch (SdkException | InvalidPullConfigException e) {
            return kept("kept, the pull sources configuration could not be read: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName()));
        }
        return run.dryRun() ? planned(failed, selected) : pull(failed, selected, run);
    }

    /** The schedule's {@code detail}, which selects the sources; an event of another kind is refused. */
    private static JsonNode scheduledDetail(JsonNode event) {
        if (!event.path("detail-type").isTextual() || !event.path("detail").isObject()) {
            throw new MalformedEventException("expected an EventBridge scheduled event with \"detail-type\" and a "
                    + "\"detail\" object");
        }
        return event.get("detail");
    }

    private MessageOutcome planned(FailedInvocation failed, List<PullSource> selected) {
        List<String> said = new ArrayList<>();
        for (PullSource source : selected) {
            ObjectNode plan = puller.plan(source);
            said.add("pull " + source.name() + (plan.has("first_request") ? " from " + plan.get("first_request").asText() : "")
                    + (plan.has("reason") ? " (" + plan.get("reason").asText() + ")" : ""));
        }
        return new MessageOutcome(Disposition.PLANNED, Counts.ZERO, identities(selected), List.of(),
                failed.describe() + ": would " + (said.isEmpty() ? "pull no source (none is configured)"
                        : String.join(", ", said)));
    }

    private MessageOutcome pull(FailedInvocation failed, List<PullSource> selected, ReplayRun run) {
        Counts counts = Counts.ZERO;
        List<String> caughtUp = new ArrayList<>();
        List<String> behind = new ArrayList<>();
        for (PullSource source : selected) {
            SourceReport report = puller.pull(source, budget, run.context());
            counts = counts.plus(report.counts());
            String said = source.name() + " " + report.status() + " (" + report.pages() + " pages, "
                    + report.newParts() + " new parts)" + report.reason().map(reason -> ": " + reason).orElse("");
            (report.status() == PullStatus.COMPLETE ? caughtUp : behind).add(said);
        }
        if (!behind.isEmpty()) {
            List<String> all = new ArrayList<>(behind);
            all.addAll(caughtUp);
            return new MessageOutcome(Disposition.KEEP, counts, identities(selected), List.of(),
                    "kept, " + failed.describe() + ": not caught up: " + String.join("; ", all));
        }
        return new MessageOutcome(Disposition.SETTLED, counts, identities(selected), List.of(),
                failed.describe() + ": " + (caughtUp.isEmpty() ? "no source is configured" : String.join("; ", caughtUp)));
    }

    private static List<String> identities(List<PullSource> sources) {
        return sources.stream().map(source -> source.identity().uri()).toList();
    }

    private static MessageOutcome kept(String detail) {
        return new MessageOutcome(Disposition.KEEP, Counts.ZERO, List.of(), List.of(), detail);
    }
}
