package dev.rawzone.core.read;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;

/**
 * Parses records from their own UTF-8 bytes, once, to validate them; what is stored is those bytes (see
 * {@link RecordText}), never the tree. So the tree only has to judge a record, not reproduce it:
 * <ul>
 *   <li>a record with a duplicate key is refused ({@code Duplicate field 'k'}): its tree could hold only one of the
 *       values, so it would be validated as something other than what is stored;</li>
 *   <li>numbers are read exactly (BigDecimal, BigInteger), so {@code 1e400} or {@code 12345678901234567890123} are
 *       validated as written and stored verbatim; {@code -0.0} is judged as zero, which no schema keyword tells
 *       apart, and stored as {@code -0.0}; a number longer than Jackson's limit (1000 digits), or with an exponent
 *       beyond a BigDecimal's, is refused.</li>
 * </ul>
 */
public final class StrictJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    /** For values read one at a time out of a larger document (a page's records). */
    private static final ObjectReader IN_DOCUMENT = MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int SNIFFED_BYTES = 4;

    private StrictJson() {
    }

    /** The one JSON value in {@code utf8[from, to)}, surrounding whitespace allowed. */
    public static JsonNode readTree(byte[] utf8, int from, int to) throws IOException {
        try (JsonParser parser = parser(utf8, from, to)) {
            return exactly(() -> MAPPER.readTree(parser), parser);
        }
    }

    /**
     * A parser of {@code utf8[from, to)}. Jackson guesses the encoding of bytes from zero bytes at their start
     * (UTF-16, UTF-32); UTF-8 JSON never holds one, so such content is refused instead of read as another encoding.
     */
    public static JsonParser parser(byte[] utf8, int from, int to) throws IOException {
        for (int i = from; i < Math.min(to, from + SNIFFED_BYTES); i++) {
            if (utf8[i] == 0) {
                throw new JsonParseException(null, "NUL byte at byte " + (i - from + 1) + ", not UTF-8 JSON");
            }
        }
        return MAPPER.getFactory().createParser(utf8, from, to - from);
    }

    /**
     * The value at the parser's current token, which is then the value's last token. A duplicate key or a number
     * out of range throws a {@link com.fasterxml.jackson.databind.DatabindException}, after which the parser is
     * still in step with its input; any other exception leaves it unusable.
     */
    public static JsonNode readValue(JsonParser parser) throws IOException {
        return exactly(() -> IN_DOCUMENT.readTree(parser), parser);
    }

    private interface TreeRead {
        JsonNode read() throws IOException;
    }

    /**
     * A number whose exponent no BigDecimal holds is refused like a duplicate key (a problem of the value, after
     * which the parser can go on), not thrown as a bug.
     */
    private static JsonNode exactly(TreeRead read, JsonParser parser) throws IOException {
        try {
            return read.read();
        } catch (NumberFormatException e) {
            throw JsonMappingException.from(parser, "number out of range: " + e.getMessage());
        }
    }

    /** Jackson's message without the excerpt of the input it would otherwise append. */
    public static String describe(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        return location == null || location.getColumnNr() < 1
                ? e.getOriginalMessage()
                : e.getOriginalMessage() + " (column " + location.getColumnNr() + ")";
    }
}
