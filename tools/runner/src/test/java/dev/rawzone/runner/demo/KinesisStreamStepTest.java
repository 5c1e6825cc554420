package dev.rawzone.runner.demo;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.rawzone.core.kinesis.KplAggregate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.Record;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The Kinesis demo step's own KPL writing and event building agree with the core and the Lambda runtime. */
class KinesisStreamStepTest {

    @Test
    void theDemosAggregateIsWhatTheCoreDeaggregates() {
        byte[] aggregate = KinesisStreamStep.kplAggregate("pk", List.of("{\"a\":1}", "{\"b\":2}"));

        KplAggregate.Result.Aggregated parsed = assertInstanceOf(KplAggregate.Result.Aggregated.class,
                KplAggregate.parse(aggregate));
        assertEquals(2, parsed.records().size());
        assertEquals("pk", parsed.records().get(1).partitionKey());
        assertArrayEquals("{\"b\":2}".getBytes(StandardCharsets.UTF_8), parsed.records().get(1).data());
    }

    @Test
    void theEventBuiltFromGetRecordsLoadsThroughTheRuntimesSerializer() {
        Record record = Record.builder().sequenceNumber("49590338271490256608559692538361571095921575989136588898")
                .partitionKey("c-1").data(SdkBytes.fromUtf8String("{\"x\":1}"))
                .approximateArrivalTimestamp(Instant.parse("2026-11-25T10:00:00.250Z")).build();
        String arn = "arn:aws:kinesis:us-east-1:123456789012:stream/rawzone-events";

        KinesisEvent event = LambdaEventSerializers.serializerFor(KinesisEvent.class, getClass().getClassLoader())
                .fromJson(KinesisStreamStep.event(arn, "shardId-000000000000", List.of(record)).toString());

        KinesisEvent.KinesisEventRecord loaded = event.getRecords().get(0);
        assertEquals("shardId-000000000000:" + record.sequenceNumber(), loaded.getEventID());
        assertEquals(arn, loaded.getEventSourceARN());
        assertEquals(Instant.parse("2026-11-25T10:00:00.250Z"), loaded.getKinesis().getApproximateArrivalTimestamp().toInstant());
        assertEquals("{\"x\":1}", StandardCharsets.UTF_8.decode(loaded.getKinesis().getData()).toString());
        assertEquals(10, KinesisStreamStep.samples().size());
    }
}
