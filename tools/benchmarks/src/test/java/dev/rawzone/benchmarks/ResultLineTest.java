package dev.rawzone.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ResultLineTest {

    @Test
    void aLineItPrintsParsesBackToTheSameResultWithItsFiguresInOrder() {
        ResultLine line = new ResultLine("s3", "128 MiB gzip", "ingest: `S3ObjectIngester.ingest`", false,
                ResultLine.figures("MiB/s JSON Lines", 65.6, "wall s", 8.5, "PUT requests", 37));

        ResultLine parsed = ResultLine.parse(line.format()).orElseThrow();

        assertEquals(line, parsed);
        assertEquals(List.of("MiB/s JSON Lines", "wall s", "PUT requests"), List.copyOf(parsed.figures().keySet()));
    }

    @Test
    void parsesALineWrittenByHand() {
        ResultLine parsed = ResultLine.parse("BENCH-RESULT {\"benchmark\":\"stream\",\"group\":\"g\",\"phase\":\"baseline\","
                + "\"baseline\":true,\"figures\":{\"records/s\":12000,\"CPU JVM ms a batch\":310.5}}").orElseThrow();

        assertEquals(new ResultLine("stream", "g", "baseline", true,
                Map.of("records/s", 12000.0, "CPU JVM ms a batch", 310.5)), parsed);
    }

    @Test
    void otherOutputIsNoResult() {
        assertEquals(Optional.empty(), ResultLine.parse("[bench] baseline: local file, gunzip + parse: 3.9 s"));
        assertEquals(Optional.empty(), ResultLine.parse("{\"level\":\"INFO\",\"message\":\"BENCH-RESULT {}\"}"));
    }

    @Test
    void aMalformedResultLineIsAnErrorNotASilentGap() {
        assertThrows(IllegalArgumentException.class, () -> ResultLine.parse("BENCH-RESULT {\"benchmark\":"));
        assertThrows(IllegalArgumentException.class, () -> ResultLine.parse(
                "BENCH-RESULT {\"benchmark\":\"s3\",\"group\":\"g\",\"phase\":\"p\",\"figures\":{\"wall s\":\"fast\"}}"));
        assertThrows(IllegalArgumentException.class, () -> ResultLine.parse(
                "BENCH-RESULT {\"benchmark\":\"s3\",\"group\":\"g\",\"figures\":{}}"));
    }
}
