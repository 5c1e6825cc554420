package dev.rawzone.core.replay.redrive;

import dev.rawzone.core.kinesis.OnFailureRange;
import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;

/**
 * Whether the stream or shard of a range that Kinesis answered {@code ResourceNotFoundException} for is really gone,
 * before any of it is reported lost: the same answer comes from a client of another region, or of an account that
 * holds no stream of that name (or another stream of that name). So the range's ARN must name the client's region,
 * and {@code DescribeStreamSummary} must find no stream of that name (the emulator ignores {@code StreamARN}, so the
 * name is passed too), or find the very stream of the ARN, whose shard is then gone (expired past its retention).
 * Anything else leaves the range unsettled: {@link NotConfirmed}, and the message stays.
 */
final class StreamPresence {
    private final KinesisClient kinesis;

    StreamPresence(KinesisClient kinesis) {
        this.kinesis = kinesis;
    }

    /** The range could not be confirmed gone: the redrive keeps its message, with the reason. */
    static final class NotConfirmed extends RuntimeException {
        NotConfirmed(String message) {
            super(message);
        }
    }

    /**
     * @param notFound what Kinesis said when the shard was asked for
     * @return why the range is gone, for its lost marker
     * @throws NotConfirmed when it cannot be told gone
     */
    String confirmGone(OnFailureRange range, String notFound) {
        Arn arn;
        try {
            arn = Arn.fromString(range.streamArn());
        } catch (IllegalArgumentException e) {
            throw new NotConfirmed("the range's stream ARN " + range.streamArn() + " does not read (" + e.getMessage()
                    + "), so a stream not found cannot be told gone");
        }
        Region region = kinesis.serviceClientConfiguration().region();
        if (region == null || !arn.region().map(region.id()::equals).orElse(false)) {
            throw new NotConfirmed("shard " + range.shardId() + " not found (" + notFound + "), but this redrive reads "
                    + "Kinesis in " + region + " and the stream is in " + arn.region().orElse("no region"));
        }
        StreamDescriptionSummary stream;
        try {
            stream = kinesis.describeStreamSummary(describe -> describe.streamName(range.stream())
                    .streamARN(range.streamArn())).streamDescriptionSummary();
        } catch (ResourceNotFoundException e) {
            return "the stream is gone: " + ShardRangeReader.message(e);
        } catch (RuntimeException e) {
            throw new NotConfirmed("shard " + range.shardId() + " not found (" + notFound + "), and the stream could "
                    + "not be described to confirm it is gone: " + e.getMessage());
        }
        if (!range.streamArn().equals(stream.streamARN())) {
            throw new NotConfirmed("shard " + range.shardId() + " not found (" + notFound + "), but the stream named "
                    + range.stream() + " this redrive reaches is " + stream.streamARN() + ", not " + range.streamArn());
        }
        return "the shard is gone from the stream: " + notFound;
    }
}
