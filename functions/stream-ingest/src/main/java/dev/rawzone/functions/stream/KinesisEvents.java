package dev.rawzone.functions.stream;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.rawzone.core.event.MalformedEventException;
import dev.rawzone.core.kinesis.StreamRecord;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link KinesisEvent} (as the Lambda runtime's serializer builds it) into the core's {@link StreamRecord}s. The
 * shard id is the part of {@code eventID} before the colon ({@code shardId-000000000006:4959...}).
 */
final class KinesisEvents {
    private static final PojoSerializer<KinesisEvent> SERIALIZER =
            LambdaEventSerializers.serializerFor(KinesisEvent.class, KinesisEvents.class.getClassLoader());

    private KinesisEvents() {
    }

    /** Reads an event's JSON the way the Lambda runtime does (for dry runs and the runner). */
    static KinesisEvent parse(InputStream json) {
        try {
            return SERIALIZER.fromJson(json);
        } catch (RuntimeException e) {
            throw new MalformedEventException("not a Kinesis event: " + firstLine(e), e);
        }
    }

    /** The records in delivery order; an event without records is an empty batch. */
    static List<StreamRecord> records(KinesisEvent event) {
        List<StreamRecord> records = new ArrayList<>();
        if (event == null || event.getRecords() == null) {
            return records;
        }
        for (int i = 0; i < event.getRecords().size(); i++) {
            records.add(record(i, event.getRecords().get(i)));
        }
        return records;
    }

    private static StreamRecord record(int index, KinesisEvent.KinesisEventRecord entry) {
        String where = "Records[" + index + "]";
        if (entry == null || entry.getKinesis() == null) {
            throw new MalformedEventException(where + ".kinesis is missing");
        }
        KinesisEvent.Record kinesis = entry.getKinesis();
        String eventId = require(entry.getEventID(), where + ".eventID");
        int colon = eventId.indexOf(':');
        if (colon <= 0) {
            throw new MalformedEventException(where + ".eventID must be <shardId>:<sequenceNumber>, got " + eventId);
        }
        String arn = require(entry.getEventSourceARN(), where + ".eventSourceARN");
        String sequence = require(kinesis.getSequenceNumber(), where + ".kinesis.sequenceNumber");
        if (kinesis.getApproximateArrivalTimestamp() == null) {
            throw new MalformedEventException(where + ".kinesis.approximateArrivalTimestamp is missing");
        }
        try {
            return new StreamRecord(arn, eventId.substring(0, colon), sequence, kinesis.getPartitionKey(),
                    bytes(kinesis.getData()), kinesis.getApproximateArrivalTimestamp().toInstant());
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException(where + ": " + e.getMessage(), e);
        }
    }

    /**
     * The record's bytes: the runtime's own array when the buffer spans all of it (the serializer wraps each decoded
     * payload so), which nothing downstream changes; a copy otherwise.
     */
    private static byte[] bytes(ByteBuffer data) {
        if (data == null) {
            return new byte[0];
        }
        if (data.hasArray() && data.arrayOffset() == 0 && data.position() == 0
                && data.remaining() == data.array().length) {
            return data.array();
        }
        ByteBuffer copy = data.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    private static String require(String value, String path) {
        if (value == null || value.isBlank()) {
            throw new MalformedEventException(path + " is missing");
        }
        return value;
    }

    private static String firstLine(RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
