package dev.rawzone.benchmarks.suite;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MarkedSectionsTest {
    private static final String DOCUMENT = """
            # Benchmarks

            Prose before, kept.

            <!-- bench:s3 -->
            | old | table |
            <!-- /bench:s3 -->

            Analysis after, kept: the 1 GiB run was short of CPU.

            <!-- bench:stream -->
            old stream table
            <!-- /bench:stream -->
            History, kept.
            """;

    @Test
    void replacesOnlyWhatLiesBetweenItsMarkers() {
        String rewritten = MarkedSections.replace(DOCUMENT, "s3", "| new | table |\n");

        assertEquals(DOCUMENT.replace("| old | table |", "| new | table |"), rewritten);
        assertEquals(DOCUMENT.indexOf("<!-- bench:s3 -->"), rewritten.indexOf("<!-- bench:s3 -->"));
    }

    @Test
    void rewritingTwiceGivesTheSameDocument() {
        String once = MarkedSections.replace(DOCUMENT, "stream", "new stream table");

        assertEquals(once, MarkedSections.replace(once, "stream", "new stream table"));
    }

    @Test
    void aSectionNotThereYetIsAddedAtTheEnd() {
        String rewritten = MarkedSections.replace(DOCUMENT, "cost", "cost table");

        assertEquals(DOCUMENT + "\n<!-- bench:cost -->\ncost table\n<!-- /bench:cost -->\n", rewritten);
    }

    @Test
    void aMarkerWithoutItsPartnerIsAnError() {
        assertThrows(IllegalArgumentException.class,
                () -> MarkedSections.replace("<!-- bench:s3 -->\nno end\n", "s3", "x"));
        assertThrows(IllegalArgumentException.class,
                () -> MarkedSections.replace("no start\n<!-- /bench:s3 -->\n", "s3", "x"));
        assertThrows(IllegalArgumentException.class, () -> MarkedSections.replace(
                "<!-- bench:s3 -->\n<!-- /bench:s3 -->\n<!-- bench:s3 -->\n<!-- /bench:s3 -->\n", "s3", "x"));
    }
}
