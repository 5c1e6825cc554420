package dev.rawzone.core.pull;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How a body's bytes become text: content coding, declared charset, byte order mark, and what is refused. */
class ReceivedBodyTest {
    private static final int CAP = 1024;

    @Test
    void theDeclaredCharsetIsHonouredQuotedOrNotAndUtf8IsTheDefault() throws Exception {
        assertEquals("{\"n\":\"é\"}", body("{\"n\":\"é\"}".getBytes(StandardCharsets.ISO_8859_1),
                "application/json; charset=\"iso-8859-1\"", null).text(CAP));
        assertEquals("{\"n\":\"é\"}", body("{\"n\":\"é\"}".getBytes(StandardCharsets.UTF_16),
                "application/json;charset=UTF-16", null).text(CAP));
        assertEquals("{\"n\":\"é\"}", body("{\"n\":\"é\"}".getBytes(StandardCharsets.UTF_8), null, null).text(CAP));
    }

    @Test
    void aUtf8ByteOrderMarkIsDropped() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};

        assertEquals("{}", body(bom, "application/json", null).text(CAP));
    }

    @Test
    void bytesNotValidInTheCharsetAreRefusedWithTheirOffsetNeverReplaced() {
        byte[] latin1 = "{\"n\":\"é\"}".getBytes(StandardCharsets.ISO_8859_1);
        byte[] undefinedInWindows1252 = {'{', '"', (byte) 0x81, '"', '}'};

        assertEquals("the body is not valid UTF-8 (byte 6 starts a malformed sequence)",
                assertThrows(ReceivedBody.UndecodableException.class,
                        () -> body(latin1, "application/json", null).text(CAP)).getMessage());
        assertEquals("the body is not valid windows-1252 (byte 2 is unmappable)",
                assertThrows(ReceivedBody.UndecodableException.class,
                        () -> body(undefinedInWindows1252, "text/json; charset=windows-1252", null).text(CAP))
                        .getMessage());
        assertThrows(ReceivedBody.UndecodableException.class,
                () -> body(latin1, "application/json; charset=no-such-charset", null).text(CAP));
    }

    @Test
    void gzipIsUndoneUpToTheCapAndOtherCodingsAreRefusedByName() throws Exception {
        assertEquals("{\"records\":[]}", body(gzip("{\"records\":[]}".getBytes(StandardCharsets.UTF_8)), null, "gzip")
                .text(CAP));
        assertThrows(CappedBody.TooLargeException.class, () -> body(gzip(new byte[CAP + 1]), null, "gzip").text(CAP));
        assertEquals("the API sent the body with Content-Encoding \"br\", which is not supported (only gzip is "
                + "asked for in Accept-Encoding)", assertThrows(ReceivedBody.UndecodableException.class,
                () -> body(new byte[] {1, 2}, null, "br").text(CAP)).getMessage());
        assertThrows(ReceivedBody.UndecodableException.class, () -> body(new byte[] {1, 2}, null, "gzip").text(CAP));
    }

    private static ReceivedBody body(byte[] bytes, String contentType, String contentEncoding) {
        return new ReceivedBody(bytes, Optional.ofNullable(contentType), Optional.ofNullable(contentEncoding));
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        }
        return out.toByteArray();
    }
}
