package dev.rawzone.core.replay.redrive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.ReplayMode;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.ReplaySelection;
import dev.rawzone.core.replay.ReplayUnits;
import dev.rawzone.core.replay.UnitResult;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Failure queues on the emulator holding what Lambda puts there: the invocation record of an asynchronous
 * invocation that used up its retries (an {@code OnFailure} destination), or the bare event (a dead-letter queue).
 */
final class FailureRecords {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Path EVENTS = Path.of("..", "events");
    /** Short, so a kept message is visible again within a test; longer than one drain of these queues. */
    static final Duration VISIBILITY = Duration.ofSeconds(2);

    final SqsClient sqs;

    FailureRecords(Map<String, String> environment) {
        this.sqs = new AwsClients(environment).sqs();
    }

    FailureQueue queue(String name) {
        String url = sqs.createQueue(create -> create.queueName(name)).queueUrl();
        return new FailureQueue(sqs, url, VISIBILITY);
    }

    void send(FailureQueue queue, String body) {
        sqs.sendMessage(send -> send.queueUrl(queue.url()).messageBody(body));
    }

    /** Every message on the queue, visible or not (SQS's approximate counts, exact on the emulator). */
    long depth(FailureQueue queue) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(get -> get.queueUrl(queue.url())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** The messages visible now, without hiding them. */
    List<Message> visible(FailureQueue queue) {
        return sqs.receiveMessage(receive -> receive.queueUrl(queue.url()).maxNumberOfMessages(10)
                .visibilityTimeout(0).waitTimeSeconds(0)).messages();
    }

    /** The on-failure destination's record of {@code event} after Lambda's three attempts failed. */
    static String onFailure(String functionName, String event, String errorMessage) {
        ObjectNode record = MAPPER.createObjectNode();
        record.put("version", "1.0").put("timestamp", "2026-11-25T10:03:12.345Z");
        record.putObject("requestContext").put("requestId", "c9f5e2a0-4b7d-4e1f-8a36-" + Math.abs(event.hashCode()))
                .put("functionArn", "arn:aws:lambda:us-east-1:123456789012:function:" + functionName + ":$LATEST")
                .put("condition", "RetriesExhausted").put("approximateInvokeCount", 3);
        try {
            record.set("requestPayload", MAPPER.readTree(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        record.putObject("responseContext").put("statusCode", 200).put("executedVersion", "$LATEST")
                .put("functionError", "Unhandled");
        record.putObject("responsePayload").put("errorMessage", errorMessage)
                .put("errorType", "dev.rawzone.core.s3.ObjectIngestFailure");
        return record.toString();
    }

    static String sample(String name) {
        try {
            return Files.readString(EVENTS.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The redrive mode with this one destination, drained as one unit. */
    static UnitResult drain(String source, FailureQueue queue, MessageRedrive redrive, ReplayRun run) {
        RedriveUnits units = new RedriveUnits(Map.of(source, new RedriveUnits.Destination(queue, redrive)),
                NO_RELEASE, () -> true);
        List<ReplayItem> items = units.plan(ReplaySelection.ALL);
        return units.run(items.get(0), run);
    }

    static ReplayRun run(String id, boolean dryRun) {
        return ReplayRun.of(id, ReplayMode.REDRIVE, dryRun, "test");
    }

    private static final ReplayUnits NO_RELEASE = new ReplayUnits() {
        @Override
        public List<ReplayItem> plan(ReplaySelection selection) {
            throw new AssertionError("no quarantine release in these tests");
        }

        @Override
        public UnitResult run(ReplayItem item, ReplayRun run) {
            throw new AssertionError("no quarantine release in these tests");
        }
    };
}
