package dev.rawzone.core.kinesis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.route.InvalidRoutingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamRoutingTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CONFIG = """
            {"streams":[{"stream":"orders-stream","dataset":"orders"},
                        {"stream":"events","datasetField":"type","datasets":{"order":"orders","customer":"customers"}},
                        {"stream":"mixed","dataset":"orders","datasetField":"kind","datasets":{"c":"customers"}}]}""";

    private final StreamRouting routing = StreamRouting.parse(CONFIG);

    @Test
    void routesByStreamAndByAFieldOfTheRecord() {
        assertEquals("orders", dataset("orders-stream", "{\"type\":\"customer\"}"));
        assertEquals("customers", dataset("events", "{\"type\":\"customer\"}"));
        assertEquals("orders", dataset("events", "{\"type\":\"order\"}"));
        assertEquals("customers", dataset("mixed", "{\"kind\":\"c\"}"));
        assertEquals("orders", dataset("mixed", "{\"kind\":\"x\"}"), "fallback dataset");
        assertEquals("orders", dataset("mixed", null), "an unreadable payload goes to the fallback's quarantine");
    }

    @Test
    void aCatchAllRouteTakesEveryStreamNotListedByName() {
        StreamRouting catchAll = StreamRouting.parse("""
                {"streams":[{"stream":"*","dataset":"customers"},{"stream":"orders-stream","dataset":"orders"}]}""");

        assertEquals("orders", assertInstanceOf(StreamRoute.Resolution.Dataset.class,
                catchAll.resolve("orders-stream", node("{}"))).name());
        assertEquals("customers", assertInstanceOf(StreamRoute.Resolution.Dataset.class,
                catchAll.resolve("rawzone-events", node("{}"))).name());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "events|{\"type\":\"refund\"}|value \"refund\" maps to no dataset",
            "events|{\"id\":1}|\"type\" is missing",
            "events|{\"type\":7}|is not a string",
            "nowhere|{\"type\":\"order\"}|no route for stream nowhere"})
    void saysWhyARecordIsUnrouted(String stream, String record, String reason) {
        StreamRoute.Resolution.Unrouted unrouted = assertInstanceOf(StreamRoute.Resolution.Unrouted.class,
                routing.resolve(stream, node(record)));
        assertTrue(unrouted.reason().contains(reason), unrouted.reason());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}|\"streams\" array",
            "{\"streams\":[]}|has no streams",
            "{\"streams\":[{\"stream\":\"a\"}]}|needs \"dataset\"",
            "{\"streams\":[{\"stream\":\"a\",\"dataset\":\"Orders\"}]}|must match",
            "{\"streams\":[{\"stream\":\"a\",\"dataset\":\"o\",\"prefix\":\"x\"}]}|unknown field \"prefix\"",
            "{\"streams\":[{\"stream\":\"a\",\"datasetField\":\"t\"}]}|needs a non-empty \"datasets\"",
            "{\"streams\":[{\"stream\":\"a\",\"dataset\":\"o\",\"datasets\":{\"x\":\"y\"}}]}|needs a \"datasetField\"",
            "{\"streams\":[{\"stream\":\"a\",\"datasetField\":\"t\",\"datasets\":{\"x\":\"B\"}}]}|must match",
            "{\"streams\":[{\"stream\":\"a\",\"dataset\":\"o\"},{\"stream\":\"a\",\"dataset\":\"p\"}]}|listed twice",
            "{\"streams\":[{\"stream\":\"\",\"dataset\":\"o\"}]}|missing or blank",
            "not json|not valid JSON"})
    void refusesAnInvalidConfigNamingTheEntry(String json, String message) {
        InvalidRoutingException e = assertThrows(InvalidRoutingException.class, () -> StreamRouting.parse(json));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private String dataset(String stream, String record) {
        return assertInstanceOf(StreamRoute.Resolution.Dataset.class, routing.resolve(stream, node(record))).name();
    }

    private static ObjectNode node(String json) {
        try {
            return json == null ? null : (ObjectNode) MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
