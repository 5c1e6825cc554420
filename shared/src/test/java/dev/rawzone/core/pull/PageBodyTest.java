package dev.rawzone.core.pull;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageBodyTest {

    @Test
    void eachElementKeepsItsOwnTextAndTheBodyItsOtherFields() throws IOException {
        PageBody page = PageBody.parse("{\"next\":\"t-2\",\"records\":[ {\"a\" : 1e400} ,\"s\",42,null,"
                + "{\"d\":[1,{\"e\":\"\\u00e9\"}]}\n], \"has_more\":true}", "records");

        assertEquals(List.of("{\"a\" : 1e400}", "\"s\"", "42", "null", "{\"d\":[1,{\"e\":\"\\u00e9\"}]}"),
                page.records().stream().map(e -> new String(e.text(), StandardCharsets.UTF_8)).toList());
        assertEquals("t-2", page.tree().get("next").asText());
        assertEquals(5, page.tree().get("records").size());
        assertTrue(page.tree().get("has_more").asBoolean());
    }

    @Test
    void aDuplicateKeyDeepInARecordIsThatRecordsProblemAndTheNextRecordIsRead() throws IOException {
        PageBody page = PageBody.parse("{\"records\":[{\"b\":{\"c\":1,\"c\":[2]},\"x\":3},{\"id\":2}]}", "records");

        PageBody.Element duplicate = page.records().get(0);
        assertNull(duplicate.tree());
        assertTrue(duplicate.problem().startsWith("Duplicate field 'c'"), duplicate.problem());
        assertEquals("{\"b\":{\"c\":1,\"c\":[2]},\"x\":3}", new String(duplicate.text(), StandardCharsets.UTF_8));
        assertEquals(2, page.records().get(1).tree().get("id").asInt());
    }

    @Test
    void aBodyThatIsNotJsonOrRepeatsAFieldIsRefused() {
        assertThrows(IOException.class, () -> PageBody.parse("{\"records\":[{\"id\":1}", "records"));
        assertThrows(IOException.class, () -> PageBody.parse("{\"records\":[],\"records\":[]}", "records"));
    }
}
