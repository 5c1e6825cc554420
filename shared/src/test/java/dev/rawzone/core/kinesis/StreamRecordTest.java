package dev.rawzone.core.kinesis;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.time.Instant;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamRecordTest {
    private static final String ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/events";

    static Stream<String> sequenceNumbers() {
        return Stream.of("0", "7", "49659400000000000000000000000000000000000000000000000001", "1" + "0".repeat(128));
    }

    static Stream<String> notSequenceNumbers() {
        return Stream.of("", "01", "00", "-1", "+1", "1a", " 1", "1 ", "1.5", "\uFF11", "1" + "0".repeat(129));
    }

    @ParameterizedTest
    @MethodSource("sequenceNumbers")
    void acceptsADecimalSequenceNumberOfUpTo129Digits(String sequence) {
        assertEquals(new BigInteger(sequence), record(sequence).sequence());
    }

    @ParameterizedTest
    @MethodSource("notSequenceNumbers")
    void refusesAnythingElse(String sequence) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> record(sequence));
        assertTrue(refused.getMessage().contains("not a Kinesis sequence number"), refused.getMessage());
    }

    private static StreamRecord record(String sequence) {
        return new StreamRecord(ARN, "shardId-000000000000", sequence, "k", new byte[0], Instant.EPOCH);
    }
}
