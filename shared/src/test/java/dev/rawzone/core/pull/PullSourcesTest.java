package dev.rawzone.core.pull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PullSourcesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static ObjectNode source() {
        ObjectNode source = MAPPER.createObjectNode();
        source.put("name", "contacts").put("dataset", "contacts").put("endpoint", "https://api.example.com/v1/records");
        source.putObject("auth").put("type", "bearer").put("secret", "secretsmanager:rawzone/pull/contacts");
        source.putObject("cursor").put("kind", "timestamp").put("field", "updated_at").put("param", "updated_since")
                .put("lookback", "PT15M");
        source.putObject("pagination").put("style", "next_token").put("param", "page_token")
                .put("token_field", "next_page_token");
        return source;
    }

    static PullSources parse(Consumer<ObjectNode> change) {
        ObjectNode source = source();
        change.accept(source);
        ObjectNode root = MAPPER.createObjectNode();
        root.putArray("sources").add(source);
        return PullSources.parse(root.toString(), MAPPER);
    }

    static String error(Consumer<ObjectNode> change) {
        return assertThrows(InvalidPullConfigException.class, () -> parse(change)).getMessage();
    }

    @Test
    void aMinimalSourceGetsItsDefaults() {
        PullSource source = parse(s -> { }).find("contacts").orElseThrow();

        assertEquals(100, source.pageSize());
        assertEquals("limit", source.pageSizeParam());
        assertEquals("records", source.recordsField());
        assertEquals("id", source.idField());
        assertEquals("updated_at", source.dateField().orElseThrow(), "a timestamp cursor dates its records");
        assertEquals(Duration.ofMinutes(15), source.cursor().lookback());
        assertTrue(source.cursor().inclusive());
        assertEquals("Authorization", source.auth().header());
        assertEquals("pull#contacts", source.checkpointKey());
        assertEquals("pull://contacts/api.example.com/v1/records", source.identity().uri());
        assertEquals("contacts", source.identity().stem());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "plain http off loopback | endpoint | http://api.example.com/x | must be https",
        "query in the endpoint   | endpoint | https://api.example.com/x?key=1 | put fixed parameters in \"query\"",
        "user info               | endpoint | https://me:pw@api.example.com/x | without user info",
        "upper-case name         | name     | Contacts | use 1-32 characters",
        "name ending in _        | name     | contacts_ | starting and ending",
    })
    void fieldsAreChecked(String why, String field, String value, String expected) {
        String message = error(s -> s.put(field, value));

        assertTrue(message.contains("sources[0]." + field + ": ") && message.contains(expected), message);
    }

    @Test
    void plainHttpIsAllowedOnLoopbackForLocalRuns() {
        assertEquals("127.0.0.1", parse(s -> s.put("endpoint", "http://127.0.0.1:8080/v1/records")).all().get(0)
                .endpoint().getHost());
        assertEquals("localhost", parse(s -> s.put("endpoint", "http://localhost:8080/v1")).all().get(0)
                .endpoint().getHost());
    }

    @Test
    void theTokenItselfIsRefusedOnlyAReferenceIsAccepted() {
        String message = error(s -> ((ObjectNode) s.get("auth")).put("secret", "tok-12345"));

        assertTrue(message.contains("never the token itself"), message);
        assertTrue(!message.contains("tok-12345") || message.indexOf("tok-12345") < 0, message);
    }

    @Test
    void unknownFieldsAreTyposNotIgnored() {
        assertTrue(error(s -> s.put("page_sise", 10)).contains("sources[0].page_sise: unknown field"));
        assertTrue(error(s -> ((ObjectNode) s.get("cursor")).put("look_back", "PT1M"))
                .contains("sources[0].cursor.look_back: unknown field"));
    }

    @Test
    void cursorRulesAreChecked() {
        assertTrue(error(s -> ((ObjectNode) s.get("cursor")).put("format", "epoch_millis").put("precision", "PT1S"))
                .contains("sources[0].cursor.precision: an epoch_millis bound is whole milliseconds"));
        assertTrue(error(s -> ((ObjectNode) s.get("cursor")).put("precision", "PT0.0000005S"))
                .contains("a whole number of microseconds"));
        assertTrue(error(s -> ((ObjectNode) s.get("cursor")).put("precision", "PT0S"))
                .contains("a whole number of microseconds"));
        assertTrue(error(s -> s.putObject("cursor").put("kind", "id").put("field", "id").put("param", "since_id")
                .put("precision", "PT1S")).contains("only a timestamp cursor has a precision"));
        assertTrue(error(s -> ((ObjectNode) s.get("cursor")).put("lookback", "15 minutes")).contains("ISO-8601 duration"));
        assertTrue(error(s -> ((ObjectNode) s.get("cursor")).put("kind", "sequence"))
                .contains("expected one of timestamp, id, page_token"));
        assertTrue(error(s -> s.remove("pagination")).contains("required for timestamp and id cursors"));
        assertTrue(error(s -> s.putObject("cursor").put("kind", "page_token").put("field", "next").put("param", "c"))
                .contains("a page_token cursor is its own pagination"));
        assertTrue(error(s -> {
            s.remove("pagination");
            s.putObject("cursor").put("kind", "page_token").put("field", "next").put("param", "c").put("lookback", "PT1M");
        }).contains("cannot look back"));
        assertTrue(error(s -> s.putObject("cursor").put("kind", "id").put("field", "id").put("param", "since_id")
                .put("lookback", "PT1M")).contains("a number of ids"));
    }

    @Test
    void aTimestampBoundMayBeExclusiveAndAnIsoOneHasAPrecision() {
        PullSource.Cursor exclusive = parse(s -> ((ObjectNode) s.get("cursor")).put("inclusive", false)
                .put("precision", "PT0.001S")).all().get(0).cursor();
        PullSource.Cursor millis = parse(s -> ((ObjectNode) s.get("cursor")).put("format", "epoch_millis")).all().get(0)
                .cursor();

        assertTrue(!exclusive.inclusive());
        assertEquals(Duration.ofMillis(1), exclusive.precision());
        assertEquals(Duration.ofMillis(1), millis.precision(), "fixed by the format");
        assertEquals(Duration.ofNanos(1000), parse(s -> { }).all().get(0).cursor().precision(), "iso: a microsecond");
    }

    @Test
    void namesAreUnique() {
        ObjectNode root = MAPPER.createObjectNode();
        root.putArray("sources").add(source()).add(source());

        InvalidPullConfigException e = assertThrows(InvalidPullConfigException.class,
                () -> PullSources.parse(root.toString(), MAPPER));
        assertTrue(e.getMessage().contains("sources[1].name: contacts is used twice"), e.getMessage());
    }

    @Test
    void aDocumentThatIsNotASourcesListSaysSo() {
        assertThrows(InvalidPullConfigException.class, () -> PullSources.parse("{\"source\": []}", MAPPER));
        assertThrows(InvalidPullConfigException.class, () -> PullSources.parse("not json", MAPPER));
    }
}
