package dev.rawzone.core.pull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A response body as the bytes received, with the headers that say how to read them. {@link #text} undoes the
 * {@code Content-Encoding} ({@code gzip} only, capped at the same size as the body) and decodes the declared
 * {@code charset} (UTF-8 when none is declared, as RFC 8259 has it for JSON) strictly: a byte sequence that is not
 * valid in the charset is refused, never replaced. A UTF-8 byte order mark is dropped.
 */
record ReceivedBody(byte[] bytes, Optional<String> contentType, Optional<String> contentEncoding) {
    private static final Pattern CHARSET = Pattern.compile("(?i);\\s*charset\\s*=\\s*\"?([^\";\\s]+)\"?");

    /** Why the body cannot be read as text (an unsupported coding or charset, or bytes invalid in the charset). */
    static final class UndecodableException extends Exception {
        UndecodableException(String message) {
            super(message, null, false, false);
        }
    }

    /** The text of the body; see the class comment. */
    String text(int cap) throws UndecodableException, CappedBody.TooLargeException {
        return decode(content(cap), charset());
    }

    /** The body with its content coding undone: the bytes the charset applies to. */
    byte[] content(int cap) throws UndecodableException, CappedBody.TooLargeException {
        String coding = contentEncoding.map(value -> value.strip().toLowerCase(Locale.ROOT)).orElse("identity");
        if (coding.isEmpty() || coding.equals("identity")) {
            return bytes;
        }
        if (!coding.equals("gzip") && !coding.equals("x-gzip")) {
            throw new UndecodableException("the API sent the body with Content-Encoding \"" + coding
                    + "\", which is not supported (only gzip is asked for in Accept-Encoding)");
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            byte[] content = in.readNBytes(cap + 1);
            if (content.length > cap) {
                throw new CappedBody.TooLargeException(cap);
            }
            return content;
        } catch (IOException e) {
            throw new UndecodableException("the body is not valid gzip although sent with Content-Encoding gzip ("
                    + e.getMessage() + ")");
        }
    }

    /** The body as text for a message (an error answer's snippet): lenient, since nothing of it is stored. */
    String lenientText(int cap) {
        try {
            return new String(content(cap), charset());
        } catch (UndecodableException | CappedBody.TooLargeException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private Charset charset() throws UndecodableException {
        Optional<String> name = contentType.map(CHARSET::matcher).filter(Matcher::find).map(m -> m.group(1));
        if (name.isEmpty()) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name.get());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new UndecodableException("the API declared the charset \"" + name.get() + "\" in Content-Type, "
                    + "which is not supported");
        }
    }

    private static String decode(byte[] content, Charset charset) throws UndecodableException {
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content);
        CharBuffer out = CharBuffer.allocate((int) Math.ceil(content.length * (double) decoder.maxCharsPerByte()) + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new UndecodableException("the body is not valid " + charset.name() + " (byte " + in.position()
                    + (result.isMalformed() ? " starts a malformed sequence" : " is unmappable") + ")");
        }
        String text = out.flip().toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
