package dev.rawzone.core.replay.redrive;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.List;

/**
 * A failure destination (an SQS queue) as the redrive reads it: one message at a time, hidden from other readers for
 * {@code visibility} while it is re-driven, deleted only once its records are settled. A message not deleted comes
 * back after the visibility timeout, for the next redrive (a drain stops when one it kept comes back). One at a time,
 * so that a drain whose time runs out has hidden no message it has not started.
 */
public final class FailureQueue {
    private static final int PEEK = 10;

    private final SqsClient sqs;
    private final String url;
    private final Duration visibility;

    public FailureQueue(SqsClient sqs, String url, Duration visibility) {
        this.sqs = sqs;
        this.url = url;
        this.visibility = visibility;
    }

    public String url() {
        return url;
    }

    /** One message, hidden for the visibility timeout; empty when the queue has none visible. */
    public List<Message> receive() {
        return sqs.receiveMessage(receive -> receive.queueUrl(url).maxNumberOfMessages(1)
                .visibilityTimeout((int) visibility.toSeconds()).waitTimeSeconds(0)).messages();
    }

    /** Up to ten messages, seen without hiding them (a dry run changes nothing a real redrive would see). */
    public List<Message> peek() {
        return sqs.receiveMessage(receive -> receive.queueUrl(url).maxNumberOfMessages(PEEK)
                .visibilityTimeout(0).waitTimeSeconds(0)).messages();
    }

    public void delete(Message message) {
        sqs.deleteMessage(delete -> delete.queueUrl(url).receiptHandle(message.receiptHandle()));
    }

    /** SQS's approximate count of visible messages (for a plan and a dry run). */
    public long approximateDepth() {
        String depth = sqs.getQueueAttributes(attributes -> attributes.queueUrl(url)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        return depth == null ? 0 : Long.parseLong(depth);
    }
}
