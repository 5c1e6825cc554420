package dev.rawzone.core.pull;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retry-After, backoff with jitter, Link headers and the scrubbing of credentials from messages and bodies. */
class FetchingRulesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    private final Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(20), new SplittableRandom(7), CLOCK);

    @Test
    void retryAfterIsSecondsOrAnHttpDateAndIsCapped() {
        assertEquals(Optional.of(Duration.ofSeconds(3)), backoff.retryAfter(Optional.of("3")));
        assertEquals(Optional.of(Duration.ofSeconds(90)),
                backoff.retryAfter(Optional.of("Wed, 25 Nov 2026 10:01:30 GMT")));
        assertEquals(Optional.of(Duration.ZERO), backoff.retryAfter(Optional.of("Wed, 25 Nov 2026 09:00:00 GMT")));
        assertEquals(Optional.of(Backoff.MAX_RETRY_AFTER), backoff.retryAfter(Optional.of("86400")));
        assertEquals(Optional.empty(), backoff.retryAfter(Optional.of("soon")));
        assertEquals(Optional.empty(), backoff.retryAfter(Optional.empty()));
    }

    @Test
    void aRetryAfterIsHonouredUpTo24Hours() {
        assertEquals(Optional.of(Duration.ofHours(2)), backoff.retryAfter(Optional.of("7200")));
        assertEquals(Optional.of(Duration.ofHours(24)), backoff.retryAfter(Optional.of("900000")));
        assertEquals(Optional.of(Duration.ofHours(24)), backoff.retryAfter(Optional.of("Fri, 27 Nov 2026 10:00:00 GMT")));
    }

    @Test
    void backoffGrowsWithJitterAndNeverCollapsesToZeroOrPassesTheCap() {
        for (int attempt = 1; attempt <= 12; attempt++) {
            long ceiling = Math.min(20_000, 250L << (attempt - 1));
            for (int i = 0; i < 50; i++) {
                long wait = backoff.after(attempt).toMillis();
                assertTrue(wait >= ceiling / 2 && wait <= ceiling, attempt + ": " + wait);
            }
        }
    }

    @Test
    void theNextLinkIsFoundAmongOthersAndResolvedAgainstTheRequest() {
        URI request = URI.create("https://api.example.com/v1/records?limit=10");

        assertEquals(Optional.of(URI.create("https://api.example.com/v1/records?page=3")), LinkHeader.next(List.of(
                "<https://api.example.com/v1/records?page=1>; rel=\"first\", </v1/records?page=3>; rel=\"next\""),
                request));
        assertEquals(Optional.of(URI.create("https://api.example.com/v1/records?page=2")),
                LinkHeader.next(List.of("<?page=2>; title=\"more\"; rel=\"prev next\""), request));
        assertEquals(Optional.empty(), LinkHeader.next(List.of("<https://api.example.com/x>; rel=\"last\""), request));
        assertEquals(Optional.empty(), LinkHeader.next(List.of(), request));
    }

    @Test
    void aLinkToAnotherOriginIsNotFollowedWithTheCredential() {
        URI endpoint = URI.create("https://api.example.com/v1/records");

        assertTrue(LinkHeader.sameOrigin(URI.create("https://api.example.com:443/v1/records?p=2"), endpoint));
        assertFalse(LinkHeader.sameOrigin(URI.create("https://evil.example.net/v1/records?p=2"), endpoint));
        assertFalse(LinkHeader.sameOrigin(URI.create("http://api.example.com/v1/records?p=2"), endpoint));
        assertFalse(LinkHeader.sameOrigin(URI.create("https://api.example.com:8443/v1/records"), endpoint));
    }

    @Test
    void credentialsAreScrubbedFromAnythingThatMayBeLogged() {
        assertEquals("unauthorized: token *** is revoked",
                PageFetcher.scrub("unauthorized: token s3cr3t-tok is revoked", List.of("s3cr3t-tok")));
    }

    @Test
    void credentialsAreFoundAndScrubbedInEveryEncodingAnApiMayEchoThemIn() {
        Credentials credentials = Credentials.of(List.of("t0k/en+?", "Bearer t0k/en+?"));
        String echoed = "a t0k%2Fen%2B%3F b t0k%2fen%2b%3f c dDBrL2VuKz8= d dDBrL2VuKz8 "
                + "f QmVhcmVyIHQway9lbis_ g Bearer+t0k%2Fen%2B%3F h Bearer%20t0k%2Fen%2B%3F";

        assertEquals("a *** b *** c *** d *** f *** g *** h ***", credentials.scrub(echoed));
        assertTrue(credentials.foundIn("x QmVhcmVyIHQway9lbis/ y"));
        assertFalse(credentials.foundIn("nothing of it here"));
        byte[] latin1 = "é t0k/en+? ü".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("é *** ü", new String(credentials.scrub(latin1), StandardCharsets.ISO_8859_1),
                "every other byte as it was");
    }
}
