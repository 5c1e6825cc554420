package dev.rawzone.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** DynamoDB's documented item size rules, on the store's own item representation. */
class DynamoDbItemSizeTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aStringIsItsUtf8BytesAndItsNameToo() throws Exception {
        assertEquals(2 + 6, DynamoDbItemSize.of(MAPPER.readTree("{\"pk\":{\"S\":\"caf\u00e9!\"}}")));
    }

    @Test
    void aNumberIsOneBytePerTwoSignificantDigitsPlusOne() throws Exception {
        assertEquals(7 + 1 + 1, DynamoDbItemSize.of(MAPPER.readTree("{\"version\":{\"N\":\"7\"}}")));
        assertEquals(7 + 3 + 1, DynamoDbItemSize.of(MAPPER.readTree("{\"version\":{\"N\":\"00012345\"}}")));
    }

    @Test
    void aMapIsThreeBytesPlusOnePerElementAndItsElements() throws Exception {
        String item = "{\"state\":{\"M\":{\"cursor\":{\"S\":\"ab\"},\"n\":{\"S\":\"\"}}}}";

        assertEquals(5 + 3 + (6 + 2 + 1) + (1 + 0 + 1), DynamoDbItemSize.of(MAPPER.readTree(item)));
    }
}
