package dev.rawzone.functions.pull;

import dev.rawzone.testkit.api.SampleApi;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

@PullTest(tokenStored = false)
class PullFixtureNestedTest {
    PullFixture fixture;
    SampleApi api;

    @Nested
    class InANestedClass {
        PullFixture nestedFixture;

        @Test
        void theEnclosingInstanceGetsTheSameFixture() {
            assertNotNull(fixture, "the enclosing instance's PullFixture field");
            assertSame(nestedFixture, fixture);
            assertSame(fixture.api, api);
        }

        @Test
        void theEnclosingClassesAnnotationDecidesWhetherTheTokenIsStored() {
            assertDoesNotThrow(nestedFixture::storeToken, "the token was stored although @PullTest(tokenStored = false)");
        }
    }
}
