package dev.rawzone.core.pull;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.read.RecordText;
import dev.rawzone.core.read.StrictJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A page's body as the API sent it, read in one pass: its tree (pagination and cursor fields) and each element of
 * its records array, with the element's own text sliced out of the body's bytes at the parser's offsets, so that a
 * record is stored as it appeared in the page, never re-serialised. The text is {@link RecordText} of the slice: the
 * line breaks between its tokens (a pretty-printed page) are left out, nothing else. A record is read with
 * {@link StrictJson}; one with a duplicate key, or a number out of range, is kept as a problem of that element.
 */
final class PageBody {
    private static final ObjectReader OTHER_FIELDS = new ObjectMapper().reader();

    /** One element of the records array: its tree, or the problem that keeps it from being a record. */
    record Element(JsonNode tree, String problem, byte[] text) {
    }

    private final String text;
    private final JsonNode tree;
    private final List<Element> records;

    private PageBody(String text, JsonNode tree, List<Element> records) {
        this.text = text;
        this.tree = tree;
        this.records = List.copyOf(records);
    }

    /**
     * Reads {@code text}; {@link #records()} holds the elements of the {@code recordsField} array, if the body is an
     * object with one.
     *
     * @throws IOException if the body is not JSON (or repeats a field of its own)
     */
    static PageBody parse(String text, String recordsField) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        List<Element> records = new ArrayList<>();
        try (JsonParser parser = StrictJson.parser(utf8, 0, utf8.length)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                JsonNode tree = first == null ? MissingNode.getInstance() : OTHER_FIELDS.readTree(parser);
                return new PageBody(text, tree, records);
            }
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                boolean isRecords = parser.nextToken() == JsonToken.START_ARRAY && name.equals(recordsField);
                JsonNode value = isRecords ? records(parser, utf8, records) : OTHER_FIELDS.readTree(parser);
                if (body.replace(name, value) != null) {
                    throw new JsonParseException(parser, "the page has the field \"" + name + "\" twice");
                }
            }
            return new PageBody(text, body, records);
        }
    }

    /** The body as it was received. */
    String text() {
        return text;
    }

    JsonNode tree() {
        return tree;
    }

    List<Element> records() {
        return records;
    }

    /** Reads the array the parser is at into {@code elements}; its tree holds null for an element with a problem. */
    private static ArrayNode records(JsonParser parser, byte[] utf8, List<Element> elements) throws IOException {
        ArrayNode trees = JsonNodeFactory.instance.arrayNode();
        JsonStreamContext array = parser.getParsingContext();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            int start = (int) parser.currentTokenLocation().getByteOffset();
            JsonNode tree = null;
            String problem = null;
            try {
                tree = StrictJson.readValue(parser);
            } catch (DatabindException e) {
                problem = StrictJson.describe(e);
                skipToEndOfElement(parser, array);
            }
            byte[] text = RecordText.of(utf8, start, (int) parser.currentLocation().getByteOffset());
            elements.add(new Element(tree, problem, text));
            trees.add(tree == null ? NullNode.getInstance() : tree);
        }
        return trees;
    }

    private static void skipToEndOfElement(JsonParser parser, JsonStreamContext array) throws IOException {
        while (parser.getParsingContext() != array) {
            if (parser.nextToken() == null) {
                throw new JsonParseException(parser, "the page ends inside a record");
            }
        }
    }
}
