package dev.rawzone.core.pull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlainIsoInstantTest {

    @Test
    void readsTheCommonFormsAsJavaTimeDoes() {
        SplittableRandom random = new SplittableRandom(20261203);
        String[] fractions = {"", ".SSS", ".SSSSSS", ".SSSSSSSSS", ".S", ".SSSS"};
        for (int i = 0; i < 20_000; i++) {
            long second = random.nextLong(-62_135_596_800L, 253_402_300_799L); // years 0001 to 9999
            Instant instant = Instant.ofEpochSecond(second, random.nextInt(1_000_000_000));
            ZoneOffset offset = i % 3 == 0 ? ZoneOffset.UTC
                    : ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
            String pattern = "uuuu-MM-dd'T'HH:mm:ss" + fractions[i % fractions.length] + (i % 3 == 0 ? "'Z'" : "xxx");
            String text = DateTimeFormatter.ofPattern(pattern).format(instant.atOffset(offset));
            OptionalLong plain = PlainIsoInstant.micros(text);
            assertTrue(plain.isPresent(), text);
            assertEquals(fullParse(text), plain, text);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-03T10:15:30Z", "2024-02-29T23:59:59.999999999+18:00", "1970-01-01T00:00:00-00:00",
            "0001-01-01T00:00:00Z", "2026-12-03T10:15:30.1-05:30"})
    void edgesItReadsAgreeWithJavaTime(String text) {
        assertEquals(fullParse(text), PlainIsoInstant.micros(text));
    }

    /** Forms it leaves to java.time, which accepts some of them and refuses others. */
    @ParameterizedTest
    @ValueSource(strings = {"2026-12-03T10:15Z", "2026-12-03T10:15:30.Z", "2026-12-03T10:15:30.1234567891Z",
            "2026-12-03t10:15:30Z", "2026-12-03T10:15:30z", "+12026-12-03T10:15:30Z", "2026-12-03T10:15:30+0530",
            "2026-12-03T10:15:30+05", "2026-12-03T10:15:30+05:30:15", "2026-02-30T10:15:30Z", "2026-13-03T10:15:30Z",
            "2026-12-03T24:00:00Z", "2026-12-03T10:60:30Z", "2026-12-31T23:59:60Z", "2026-12-03T10:15:30+19:00",
            "2026-12-03T10:15:30+18:01", "2026-12-03 10:15:30Z", "２026-12-03T10:15:30Z", "2026-12-03T10:15:30",
            "2026-12-03T10:15:30ZZ", "1764756930"})
    void leavesEveryOtherFormToJavaTime(String text) {
        assertEquals(OptionalLong.empty(), PlainIsoInstant.micros(text));
    }

    private static OptionalLong fullParse(String text) {
        try {
            Instant instant = text.endsWith("Z") ? Instant.parse(text) : OffsetDateTime.parse(text).toInstant();
            return OptionalLong.of(Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                    instant.getNano() / 1000));
        } catch (DateTimeException e) {
            return OptionalLong.empty();
        }
    }
}
