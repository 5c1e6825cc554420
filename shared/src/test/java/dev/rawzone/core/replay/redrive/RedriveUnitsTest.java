package dev.rawzone.core.replay.redrive;

import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.ReplayMode;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.ReplaySelection;
import dev.rawzone.core.replay.ReplayUnits;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedriveUnitsTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private SqsClient sqs;
    private String url;
    private final List<String> redriven = new ArrayList<>();

    /** Settles "ok", reports "lost" lost at the source, keeps anything else. */
    private final MessageRedrive redrive = (body, run) -> {
        redriven.add(body);
        if (run.dryRun()) {
            return new MessageOutcome(MessageOutcome.Disposition.PLANNED, Counts.ZERO, List.of(), List.of(), body);
        }
        return switch (body) {
            case "ok" -> new MessageOutcome(MessageOutcome.Disposition.SETTLED, new Counts(2, 2, 0, 0, 0),
                    List.of("source"), List.of("raw/part"), "");
            case "lost" -> new MessageOutcome(MessageOutcome.Disposition.LOST, new Counts(0, 0, 0, 0, 0),
                    List.of("range"), List.of(), "shard-1 1..9 trimmed");
            default -> new MessageOutcome(MessageOutcome.Disposition.KEEP, new Counts(1, 0, 0, 0, 1), List.of(),
                    List.of(), "the schema location cannot be read");
        };
    };

    private final ReplayUnits noRelease = new ReplayUnits() {
        @Override
        public List<ReplayItem> plan(ReplaySelection selection) {
            return List.of(new ReplayItem("quarantine-part", "quarantine/s3/orders/dt=2026-11-02/a.jsonl.gz"));
        }

        @Override
        public UnitResult run(ReplayItem item, ReplayRun run) {
            return UnitResult.of(item, UnitStatus.ALREADY_DONE, "released before");
        }
    };

    @BeforeEach
    void queue() {
        sqs = new AwsClients(EMULATOR.emulator().environment()).sqs();
        url = sqs.createQueue(create -> create.queueName("s3-dlq")).queueUrl();
    }

    @Test
    void settledAndLostMessagesAreDeletedAndAnUnsettledOneStaysForTheNextRedrive() throws InterruptedException {
        for (String body : List.of("ok", "keep", "lost", "ok")) {
            sqs.sendMessage(send -> send.queueUrl(url).messageBody(body));
        }
        RedriveUnits units = units(Duration.ofSeconds(1));

        UnitResult result = units.run(units.plan(ReplaySelection.ALL).get(0), run(false));

        assertEquals(UnitStatus.LOST, result.status(), "a lost range is a problem of the run, reported");
        assertEquals(new Counts(5, 4, 0, 0, 1), result.counts());
        assertTrue(result.detail().startsWith("2 messages settled and deleted, 1 lost at the source, 1 kept: "),
                result.detail());
        assertTrue(result.detail().contains("shard-1 1..9 trimmed"));
        assertEquals(4, redriven.size(), "each message re-driven once per drain, the kept one too");
        Thread.sleep(1500);
        assertEquals(List.of("keep"), visibleBodies(), "only the unsettled message is left, visible again");
    }

    /** Time for one message: the others are not started, and not hidden either (before, a batch of ten was). */
    @Test
    void theTimeLeftIsCheckedBeforeEachMessageAndNoMessageNotStartedIsHidden() {
        for (String body : List.of("ok", "ok", "ok")) {
            sqs.sendMessage(send -> send.queueUrl(url).messageBody(body));
        }
        AtomicInteger checks = new AtomicInteger();
        RedriveUnits units = units(Duration.ofMinutes(5), () -> checks.getAndIncrement() < 1);

        UnitResult result = units.run(units.plan(ReplaySelection.ALL).get(0), run(false));

        assertEquals(1, redriven.size(), "only the message started in time is re-driven");
        assertEquals(UnitStatus.DONE, result.status());
        assertTrue(result.detail().startsWith("1 messages settled and deleted, 0 lost at the source, 0 kept; the time "
                + "ran out"), result.detail());
        assertEquals(List.of("ok", "ok"), visibleBodies(), "the two not started are visible at once");
    }

    @Test
    void aDryRunDeletesNothing() {
        sqs.sendMessage(send -> send.queueUrl(url).messageBody("ok"));
        RedriveUnits units = units(Duration.ofMinutes(5));

        UnitResult result = units.run(units.plan(ReplaySelection.ALL).get(0), run(true));

        assertEquals(UnitStatus.PLANNED, result.status());
        assertEquals(List.of("ok"), visibleBodies(), "still there and still visible");
    }

    @Test
    void anEmptyQueueHasNothingToDoAndTheQuarantineFlagPlansTheReleaseInstead() {
        RedriveUnits units = units(Duration.ofMinutes(5));

        assertEquals(UnitStatus.ALREADY_DONE, units.run(units.plan(ReplaySelection.ALL).get(0), run(false)).status());
        ReplaySelection quarantine = new ReplaySelection(Optional.of("s3"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), true, Optional.empty());
        List<ReplayItem> release = units.plan(quarantine);
        assertEquals("quarantine-part", release.get(0).kind());
        assertEquals(UnitStatus.ALREADY_DONE, units.run(release.get(0), run(false)).status());
        ReplaySelection otherSource = new ReplaySelection(Optional.of("kinesis"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), false, Optional.empty());
        assertEquals(List.of(), units.plan(otherSource), "only the selected source's destination is drained");
    }

    private RedriveUnits units(Duration visibility) {
        return units(visibility, () -> true);
    }

    private RedriveUnits units(Duration visibility, BooleanSupplier timeLeft) {
        return new RedriveUnits(Map.of("s3", new RedriveUnits.Destination(new FailureQueue(sqs, url, visibility), redrive)),
                noRelease, timeLeft);
    }

    private static ReplayRun run(boolean dryRun) {
        return ReplayRun.of("redrive-test", ReplayMode.REDRIVE, dryRun, "test");
    }

    private List<String> visibleBodies() {
        return sqs.receiveMessage(receive -> receive.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(0))
                .messages().stream().map(Message::body).sorted().toList();
    }
}
