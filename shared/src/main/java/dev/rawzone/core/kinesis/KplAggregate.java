package dev.rawzone.core.kinesis;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a Kinesis record's data as the KPL writes it when it aggregates: the magic bytes {@code F3 89 9A C2}, a
 * protobuf {@code AggregatedRecord}, then the 16-byte MD5 of the protobuf bytes.
 * <pre>
 * AggregatedRecord { repeated string partition_key_table = 1; repeated string explicit_hash_key_table = 2;
 *                    repeated Record records = 3; }
 * Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
 *          required bytes data = 3; repeated Tag tags = 4; }
 * </pre>
 * As in the KPL's own de-aggregators, data without the magic prefix, or whose MD5 does not match, is a plain
 * record. Data that has both but does not parse is {@link Result.Malformed}: the caller quarantines it whole.
 */
public final class KplAggregate {
    static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    static final int DIGEST_LENGTH = 16;

    private KplAggregate() {
    }

    /** One user record inside an aggregate; its sub-sequence number is its index in the aggregate. */
    public record UserData(long subSequence, String partitionKey, String explicitHashKey, byte[] data) {
    }

    /** What a record's data turned out to be. */
    public sealed interface Result permits Result.Plain, Result.Aggregated, Result.Malformed {
        /** Not aggregated: the data is one user record. */
        record Plain() implements Result {
        }

        /** The user records of an aggregate, in order (never empty). */
        record Aggregated(List<UserData> records) implements Result {
        }

        /** Magic and MD5 say "aggregate", but the body does not parse; {@code reason} says why. */
        record Malformed(String reason) implements Result {
        }
    }

    public static boolean hasMagic(byte[] data) {
        return data.length >= MAGIC.length && Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    public static Result parse(byte[] data) {
        if (!hasMagic(data) || data.length < MAGIC.length + DIGEST_LENGTH) {
            return new Result.Plain();
        }
        int bodyLength = data.length - MAGIC.length - DIGEST_LENGTH;
        byte[] digest = md5().digest(Arrays.copyOfRange(data, MAGIC.length, MAGIC.length + bodyLength));
        if (!Arrays.equals(digest, 0, DIGEST_LENGTH, data, MAGIC.length + bodyLength, data.length)) {
            return new Result.Plain();
        }
        try {
            return read(new ProtobufReader(data, MAGIC.length, bodyLength));
        } catch (ProtobufReader.MalformedProtobufException e) {
            return new Result.Malformed("KPL aggregate does not parse: " + e.getMessage());
        }
    }

    private static Result read(ProtobufReader aggregate) {
        List<String> partitionKeys = new ArrayList<>();
        List<String> hashKeys = new ArrayList<>();
        List<ProtobufReader> entries = new ArrayList<>();
        while (!aggregate.atEnd()) {
            int tag = aggregate.readTag();
            int field = ProtobufReader.fieldNumber(tag);
            int wire = ProtobufReader.wireType(tag);
            if (field >= 1 && field <= 3 && wire != ProtobufReader.LENGTH_DELIMITED) {
                throw new ProtobufReader.MalformedProtobufException("field " + field + " has wire type " + wire);
            }
            switch (field) {
                case 1 -> partitionKeys.add(aggregate.readString());
                case 2 -> hashKeys.add(aggregate.readString());
                case 3 -> entries.add(aggregate.readMessage());
                default -> aggregate.skip(wire);
            }
        }
        if (entries.isEmpty()) {
            return new Result.Malformed("KPL aggregate holds no user records");
        }
        List<UserData> records = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            records.add(entry(i, entries.get(i), partitionKeys, hashKeys));
        }
        return new Result.Aggregated(List.copyOf(records));
    }

    private static UserData entry(int index, ProtobufReader entry, List<String> partitionKeys, List<String> hashKeys) {
        long partitionIndex = -1;
        long hashIndex = -1;
        byte[] data = null;
        while (!entry.atEnd()) {
            int tag = entry.readTag();
            int field = ProtobufReader.fieldNumber(tag);
            int wire = ProtobufReader.wireType(tag);
            if (field == 1 && wire == ProtobufReader.VARINT) {
                partitionIndex = entry.readVarint();
            } else if (field == 2 && wire == ProtobufReader.VARINT) {
                hashIndex = entry.readVarint();
            } else if (field == 3 && wire == ProtobufReader.LENGTH_DELIMITED) {
                data = entry.readBytes();
            } else if (field <= 3) {
                throw new ProtobufReader.MalformedProtobufException("record " + index + ": field " + field
                        + " has wire type " + wire);
            } else {
                entry.skip(wire);
            }
        }
        if (data == null) {
            throw new ProtobufReader.MalformedProtobufException("record " + index + " has no data");
        }
        if (partitionIndex < 0 || partitionIndex >= partitionKeys.size()) {
            throw new ProtobufReader.MalformedProtobufException("record " + index + ": partition key index "
                    + partitionIndex + " outside a table of " + partitionKeys.size());
        }
        if (hashIndex >= hashKeys.size()) {
            throw new ProtobufReader.MalformedProtobufException("record " + index + ": explicit hash key index "
                    + hashIndex + " outside a table of " + hashKeys.size());
        }
        return new UserData(index, partitionKeys.get((int) partitionIndex),
                hashIndex < 0 ? null : hashKeys.get((int) hashIndex), data);
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }
}
