package dev.rawzone.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One measured figure set as a machine-readable line, {@code BENCH-RESULT {json}}, that {@code ./ingest bench}
 * collects from a benchmark's output (its human output stays as it was). {@code group} holds phases that share a
 * baseline (an object size, a JVM flag set); {@code baseline} marks the phase the others are compared with;
 * {@code figures} are named numbers, in the order a table shows them.
 */
public record ResultLine(String benchmark, String group, String phase, boolean baseline, Map<String, Double> figures) {
    public static final String PREFIX = "BENCH-RESULT ";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public ResultLine {
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    /** Figures as given, in order: name, value, name, value... */
    public static Map<String, Double> figures(Object... namesAndValues) {
        Map<String, Double> figures = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            figures.put((String) namesAndValues[i], ((Number) namesAndValues[i + 1]).doubleValue());
        }
        return figures;
    }

    public String format() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("benchmark", benchmark);
        node.put("group", group);
        node.put("phase", phase);
        node.put("baseline", baseline);
        ObjectNode values = node.putObject("figures");
        figures.forEach(values::put);
        return PREFIX + node;
    }

    /** Prints the line on stdout. */
    public void print() {
        System.out.println(format());
        System.out.flush();
    }

    /** The result a line of output holds, if it is a result line. */
    public static Optional<ResultLine> parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(line.substring(PREFIX.length()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed result line: " + line, e);
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("figures").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> figure = it.next();
            if (!figure.getValue().isNumber()) {
                throw new IllegalArgumentException("figure " + figure.getKey() + " is not a number: " + line);
            }
            figures.put(figure.getKey(), figure.getValue().doubleValue());
        }
        for (String field : new String[] {"benchmark", "group", "phase"}) {
            if (!node.path(field).isTextual()) {
                throw new IllegalArgumentException("result line without " + field + ": " + line);
            }
        }
        return Optional.of(new ResultLine(node.get("benchmark").asText(), node.get("group").asText(),
                node.get("phase").asText(), node.path("baseline").asBoolean(false), figures));
    }
}
