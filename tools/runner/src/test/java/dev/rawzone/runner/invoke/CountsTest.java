package dev.rawzone.runner.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CountsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPartialBatchResponseTakesTheCountsTheFunctionLogged() throws IOException {
        String logLine = "{\"level\":\"INFO\",\"message\":\"Kinesis batch settled\",\"counts\":{\"in\":4,\"written\":3,"
                + "\"quarantined\":1,\"duplicates\":0,\"failed\":0}}";
        JsonNode response = JSON.readTree("{\"batchItemFailures\":[{\"itemIdentifier\":\"49590\"}]}");

        JsonNode logged = Counts.loggedIn(logLine).orElseThrow();

        assertEquals("{\"in\":4,\"written\":3,\"quarantined\":1,\"duplicates\":0,\"failed\":0,\"batchItemFailures\":1}",
                Counts.of(response, logged).toString());
    }

    @Test
    void countsInTheResponseWinOverLoggedOnes() throws IOException {
        JsonNode response = JSON.readTree("{\"in\":2,\"written\":2}");
        JsonNode logged = JSON.readTree("{\"in\":9}");

        assertEquals("{\"in\":2,\"written\":2}", Counts.of(response, logged).toString());
    }

    @Test
    void onlyJsonLogLinesWithACountsObjectCount() {
        assertEquals(Optional.empty(), Counts.loggedIn("counts: 4"));
        assertEquals(Optional.empty(), Counts.loggedIn("{\"counts\":3}"));
        assertEquals(Optional.empty(), Counts.loggedIn("{\"counts\": {\"in\": 1}"));
        assertTrue(Counts.loggedIn("{\"counts\":{\"in\":1}}").isPresent());
    }
}
