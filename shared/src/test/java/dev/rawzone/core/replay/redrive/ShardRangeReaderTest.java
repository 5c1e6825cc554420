package dev.rawzone.core.replay.redrive;

import dev.rawzone.core.kinesis.OnFailureRange;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorResponse;

import java.math.BigInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class ShardRangeReaderTest {

    /** Kinesis may answer empty reads while an iterator is still behind the tip; the records after are still there. */
    @Test
    @SuppressWarnings("unchecked")
    void emptyReadsWhileBehindTheTipAreNeverTakenForALostRange() {
        KinesisClient kinesis = mock(KinesisClient.class);
        when(kinesis.getShardIterator(any(Consumer.class)))
                .thenReturn(GetShardIteratorResponse.builder().shardIterator("it-0").build());
        when(kinesis.getRecords(any(Consumer.class))).thenReturn(GetRecordsResponse.builder()
                .nextShardIterator("it-1").millisBehindLatest(60_000L).build());
        OnFailureRange range = new OnFailureRange("arn:aws:kinesis:us-east-1:123456789012:stream/events",
                "shardId-000000000000", new BigInteger("100"), new BigInteger("200"));

        IllegalStateException stop = assertThrows(IllegalStateException.class,
                () -> new ShardRangeReader(kinesis).read(range));

        assertTrue(stop.getMessage().contains("60000 ms behind its tip"), stop.getMessage());
    }
}
