package dev.rawzone.core.pull;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PagePrefetchTest {
    private static final PageRequest REQUEST = PageRequest.first(Optional.empty());

    @Test
    void anErrorThrownByTheAttemptIsThrownWhereTheAnswerIsTaken() {
        StackOverflowError error = new StackOverflowError("deep in the attempt");
        PagePrefetch prefetch = PagePrefetch.start(REQUEST, Clock.systemUTC(), stats -> {
            throw error;
        });

        StackOverflowError thrown = assertThrows(StackOverflowError.class, () -> prefetch.take(new PageFetcher.Stats()));

        assertSame(error, thrown);
        assertEquals("deep in the attempt", thrown.getMessage());
    }
}
