package dev.rawzone.core.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SourceFormatTest {

    @ParameterizedTest
    @CsvSource({
        "events.jsonl, JSON_LINES",
        "events.ndjson, JSON_LINES",
        "events.json, JSON_LINES",
        "in/2024/01/events.JSON.GZ, JSON_LINES",
        "events.jsonl.gzip, JSON_LINES",
        "Events.NDJSON.Gz, JSON_LINES",
        "data.csv, CSV",
        "data.csv.gzip, CSV",
        "DATA.CSV.GZ, CSV",
        "dir.json/data.csv, CSV",
    })
    void formatComesFromTheExtension(String key, SourceFormat expected) {
        assertEquals(Optional.of(expected), SourceFormat.fromKey(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"noext", "data.gz", "data.txt", "data.csv.zip", "data.csv.gz.gz", "data.jsonl/", "csv", ""})
    void unknownExtensionsHaveNoFormat(String key) {
        assertEquals(Optional.empty(), SourceFormat.fromKey(key));
    }
}
