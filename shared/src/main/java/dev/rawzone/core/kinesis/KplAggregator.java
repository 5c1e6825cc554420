package dev.rawzone.core.kinesis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes KPL-aggregated record data (the inverse of {@link KplAggregate}), for tests, sample events, the local
 * demo and benchmarks: producers in production use the KPL itself.
 */
public final class KplAggregator {
    private final Map<String, Integer> partitionKeys = new LinkedHashMap<>();
    private final List<byte[]> records = new ArrayList<>();

    public KplAggregator add(String partitionKey, byte[] data) {
        int index = partitionKeys.computeIfAbsent(partitionKey, key -> partitionKeys.size());
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        tag(record, 1, ProtobufReader.VARINT);
        varint(record, index);
        tag(record, 3, ProtobufReader.LENGTH_DELIMITED);
        varint(record, data.length);
        record.writeBytes(data);
        records.add(record.toByteArray());
        return this;
    }

    public int size() {
        return records.size();
    }

    /** Magic, the AggregatedRecord, and the MD5 of the AggregatedRecord. */
    public byte[] toBytes() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String key : partitionKeys.keySet()) {
            byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
            tag(body, 1, ProtobufReader.LENGTH_DELIMITED);
            varint(body, utf8.length);
            body.writeBytes(utf8);
        }
        for (byte[] record : records) {
            tag(body, 3, ProtobufReader.LENGTH_DELIMITED);
            varint(body, record.length);
            body.writeBytes(record);
        }
        byte[] protobuf = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(protobuf.length + 20);
        out.writeBytes(KplAggregate.MAGIC);
        out.writeBytes(protobuf);
        out.writeBytes(KplAggregate.md5().digest(protobuf));
        return out.toByteArray();
    }

    private static void tag(ByteArrayOutputStream out, int field, int wireType) {
        varint(out, (long) field << 3 | wireType);
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
