package dev.rawzone.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What code printed on stdout while it ran, as Lambda would ship it to CloudWatch Logs: JSON log lines (the
 * Powertools layout) and EMF metric lines (the ones with an {@code _aws} member). Tests run one at a time, so the
 * capture sees only the code under test.
 */
public final class PrintedLines {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<JsonNode> json;

    private PrintedLines(List<JsonNode> json) {
        this.json = json;
    }

    /** Runs {@code action} with stdout captured (and not shown); its result and the lines go to {@code into}. */
    public static <T> T capture(Supplier<T> action, List<PrintedLines> into) {
        PrintStream console = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            return action.get();
        } finally {
            System.setOut(console);
            into.add(parse(bytes.toString(StandardCharsets.UTF_8)));
        }
    }

    private static PrintedLines parse(String printed) {
        List<JsonNode> json = new ArrayList<>();
        for (String line : printed.split("\n")) {
            if (line.startsWith("{")) {
                try {
                    json.add(MAPPER.readTree(line));
                } catch (JsonProcessingException e) {
                    throw new AssertionError("a printed line that looks like JSON is not: " + line, e);
                }
            }
        }
        return new PrintedLines(json);
    }

    public List<JsonNode> metrics() {
        return json.stream().filter(line -> line.has("_aws")).toList();
    }

    public List<JsonNode> logs() {
        return json.stream().filter(line -> !line.has("_aws")).toList();
    }
}
