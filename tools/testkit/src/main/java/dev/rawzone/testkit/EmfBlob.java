package dev.rawzone.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One Embedded Metric Format line read back: its namespace, dimension sets, dimension values and metric values. */
public record EmfBlob(String namespace, List<List<String>> dimensionSets, Map<String, String> dimensions,
                      Map<String, Double> values, Map<String, String> units) {

    public static EmfBlob of(JsonNode line) {
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        List<List<String>> sets = new ArrayList<>();
        Map<String, String> dimensions = new LinkedHashMap<>();
        for (JsonNode set : directive.path("Dimensions")) {
            List<String> names = new ArrayList<>();
            set.forEach(name -> {
                names.add(name.asText());
                dimensions.put(name.asText(), line.path(name.asText()).asText());
            });
            sets.add(names);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        for (JsonNode metric : directive.path("Metrics")) {
            String name = metric.path("Name").asText();
            JsonNode value = line.path(name);
            values.put(name, value.isArray() ? sum(value) : value.asDouble());
            units.put(name, metric.path("Unit").asText());
        }
        return new EmfBlob(directive.path("Namespace").asText(), sets, dimensions, values, units);
    }

    private static double sum(JsonNode values) {
        double sum = 0;
        for (JsonNode value : values) {
            sum += value.asDouble();
        }
        return sum;
    }

    public String dimension(String name) {
        return dimensions.get(name);
    }

    public double value(String metric) {
        Double value = values.get(metric);
        if (value == null) {
            throw new AssertionError("no metric " + metric + " in " + values.keySet());
        }
        return value;
    }
}
