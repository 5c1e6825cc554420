package dev.rawzone.core.kinesis;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KplAggregateTest {

    @Test
    void roundTripsUserRecordsWithTheirPartitionKeysAndSubSequenceNumbers() {
        byte[] aggregate = new KplAggregator()
                .add("pk-a", utf8("{\"id\":\"1\"}"))
                .add("pk-b", utf8("{\"id\":\"2\"}"))
                .add("pk-a", new byte[0])
                .toBytes();

        List<KplAggregate.UserData> records = aggregated(aggregate);

        assertEquals(3, records.size());
        assertEquals(List.of(0L, 1L, 2L), records.stream().map(KplAggregate.UserData::subSequence).toList());
        assertEquals(List.of("pk-a", "pk-b", "pk-a"), records.stream().map(KplAggregate.UserData::partitionKey).toList());
        assertArrayEquals(utf8("{\"id\":\"2\"}"), records.get(1).data());
        assertEquals(0, records.get(2).data().length);
        assertNull(records.get(0).explicitHashKey());
    }

    /** Bytes as the KPL writes them, built by hand: the explicit hash key table, tags and a field unknown to us. */
    @Test
    void readsExplicitHashKeysAndSkipsTagsAndUnknownFields() {
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(HexFormat.of().parseHex("0800" + "1000" + "1a03" + "616263")); // pk 0, ehk 0, data "abc"
        record.writeBytes(HexFormat.of().parseHex("2205" + "0a03" + "6b6579")); // tag { key: "key" }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(HexFormat.of().parseHex("0a02" + "706b")); // partition key "pk"
        body.writeBytes(HexFormat.of().parseHex("1203" + "313233")); // explicit hash key "123"
        body.writeBytes(HexFormat.of().parseHex("2801")); // field 5, varint: unknown, skipped
        body.write(0x1a);
        body.write(record.size());
        body.writeBytes(record.toByteArray());

        List<KplAggregate.UserData> records = aggregated(frame(body.toByteArray()));

        assertEquals(1, records.size());
        assertEquals("pk", records.get(0).partitionKey());
        assertEquals("123", records.get(0).explicitHashKey());
        assertArrayEquals(utf8("abc"), records.get(0).data());
    }

    @Test
    void dataWithoutTheMagicPrefixIsAPlainRecord() {
        assertInstanceOf(KplAggregate.Result.Plain.class, KplAggregate.parse(utf8("{\"id\":\"1\"}")));
        assertInstanceOf(KplAggregate.Result.Plain.class, KplAggregate.parse(new byte[0]));
        assertInstanceOf(KplAggregate.Result.Plain.class, KplAggregate.parse(KplAggregate.MAGIC));
    }

    @Test
    void aWrongDigestMakesItAPlainRecordAsTheKplDeaggregatorsDo() {
        byte[] aggregate = new KplAggregator().add("pk", utf8("x")).toBytes();
        aggregate[aggregate.length - 1] ^= 1;

        assertInstanceOf(KplAggregate.Result.Plain.class, KplAggregate.parse(aggregate));
    }

    @Test
    void aMatchingDigestOverABrokenBodyIsMalformedWithTheReason() {
        assertMalformed(frame(HexFormat.of().parseHex("1a05" + "0800")), "runs past the end");
        assertMalformed(frame(HexFormat.of().parseHex("0a02706b")), "no user records");
        assertMalformed(frame(HexFormat.of().parseHex("0a02706b" + "1a02" + "0801")), "no data");
        assertMalformed(frame(HexFormat.of().parseHex("0a02706b" + "1a05" + "0805" + "1a0178")), "partition key index 5");
        assertMalformed(frame(HexFormat.of().parseHex("0a02706b" + "1a05" + "0800" + "1a0178" + "0f")), "wire type");
        assertMalformed(frame(HexFormat.of().parseHex("0a02ff fe".replace(" ", ""))), "not UTF-8");
        assertMalformed(frame(HexFormat.of().parseHex("08ffffffffffffffffffff01")), "");
    }

    @Test
    void manyRecordsAndLongDataUseMultiByteLengths() {
        KplAggregator aggregator = new KplAggregator();
        byte[] big = new byte[300_000];
        Arrays.fill(big, (byte) 'x');
        for (int i = 0; i < 500; i++) {
            aggregator.add("pk-" + (i % 7), i == 250 ? big : utf8("r" + i));
        }

        List<KplAggregate.UserData> records = aggregated(aggregator.toBytes());

        assertEquals(500, records.size());
        assertEquals(499, records.get(499).subSequence());
        assertEquals(300_000, records.get(250).data().length);
        assertEquals("pk-3", records.get(10).partitionKey());
    }

    private static List<KplAggregate.UserData> aggregated(byte[] data) {
        return assertInstanceOf(KplAggregate.Result.Aggregated.class, KplAggregate.parse(data)).records();
    }

    private static void assertMalformed(byte[] data, String reason) {
        KplAggregate.Result.Malformed malformed = assertInstanceOf(KplAggregate.Result.Malformed.class,
                KplAggregate.parse(data));
        assertTrue(malformed.reason().contains(reason), malformed.reason());
    }

    static byte[] frame(byte[] protobuf) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(KplAggregate.MAGIC);
        out.writeBytes(protobuf);
        out.writeBytes(KplAggregate.md5().digest(protobuf));
        return out.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
