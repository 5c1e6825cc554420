package dev.rawzone.core.read;

import static dev.rawzone.core.read.ReadFixtures.concat;
import static dev.rawzone.core.read.ReadFixtures.gzip;
import static dev.rawzone.core.read.ReadFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecompressionTest {

    @Test
    void plainBytesPassThrough() throws IOException {
        byte[] content = utf8("{\"a\":1}\nnot gzip\n");
        assertArrayEquals(content, read(content));
    }

    @Test
    void contentStartingWithOnlyPartOfTheGzipMagicIsPlain() throws IOException {
        byte[] content = {0x1f, 0x00, 'x'};
        assertArrayEquals(content, read(content));
        assertArrayEquals(new byte[] {0x1f}, read(new byte[] {0x1f}));
        assertArrayEquals(new byte[0], read(new byte[0]));
    }

    @Test
    void gzipIsDetectedByContent() throws IOException {
        assertArrayEquals(utf8("hello\n"), read(gzip(utf8("hello\n"))));
    }

    @Test
    void everyMemberOfAMultiMemberGzipIsRead() throws IOException {
        assertArrayEquals(utf8("one\ntwo\nthree\n"), read(gzip(utf8("one\n"), utf8("two\n"), utf8("three\n"))));
    }

    @Test
    void laterGzipMembersAreReadWhenTheyArriveInSeparateNetworkReads() throws IOException {
        // Each member arrives in its own read, and available() answers 0 in between, like a socket stream.
        List<InputStream> members = Arrays.asList(
                new ByteArrayInputStream(gzip(utf8("one\n"))),
                new ByteArrayInputStream(gzip(utf8("two\n"))),
                new ByteArrayInputStream(gzip(utf8("three\n"))));
        InputStream network = new SequenceInputStream(Collections.enumeration(members));

        try (InputStream content = Decompression.open(network)) {
            assertArrayEquals(utf8("one\ntwo\nthree\n"), content.readAllBytes());
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 2, 18, 30, 70_000})
    void bytesAfterTheLastMemberThatAreNotAnotherMemberAreDamageNotSilence(int trailing) throws IOException {
        byte[] plainTail = Arrays.copyOf(utf8("{\"appended\":true}\n".repeat(trailing / 18 + 1)), trailing);
        byte[] object = concat(gzip(utf8("one\n"), utf8("two\n")), plainTail);

        try (InputStream content = Decompression.open(new ByteArrayInputStream(object))) {
            IOException e = assertThrows(IOException.class, content::readAllBytes);
            assertTrue(e.getMessage().contains("not another gzip member"), e.getMessage());
        }
    }

    @Test
    void bytesAfterTheLastMemberAreFoundWhenTheyArriveInALaterNetworkRead() throws IOException {
        InputStream network = new SequenceInputStream(Collections.enumeration(List.of(
                new ByteArrayInputStream(gzip(utf8("one\n"))), new ByteArrayInputStream(utf8("plain\n")))));

        try (InputStream content = Decompression.open(network)) {
            byte[] readBeforeTheDamage = content.readNBytes(4);
            assertArrayEquals(utf8("one\n"), readBeforeTheDamage);
            assertThrows(IOException.class, content::readAllBytes);
        }
    }

    @Test
    void aLaterMemberCutInsideItsHeaderIsDamage() throws IOException {
        byte[] object = concat(gzip(utf8("one\n")), Arrays.copyOf(gzip(utf8("two\n")), 5));

        try (InputStream content = Decompression.open(new ByteArrayInputStream(object))) {
            assertThrows(IOException.class, content::readAllBytes);
        }
    }

    @Test
    void truncatedGzipFailsWhenRead() throws IOException {
        byte[] whole = gzip(utf8("some text that is long enough to be cut\n".repeat(20)));
        byte[] truncated = Arrays.copyOf(whole, whole.length - 12);
        try (InputStream content = Decompression.open(new ByteArrayInputStream(truncated))) {
            assertThrows(IOException.class, content::readAllBytes);
        }
    }

    @Test
    void gzipContentFollowedByPlainBytesIsNotConfusedWithPlainContent() throws IOException {
        byte[] content = concat(utf8("plain first\n"), gzip(utf8("x")));
        assertArrayEquals(content, read(content));
    }

    private static byte[] read(byte[] raw) throws IOException {
        try (InputStream content = Decompression.open(new ByteArrayInputStream(raw))) {
            return content.readAllBytes();
        }
    }
}
