package dev.rawzone.runner.operations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The names of the rawzone metrics the code emits, read from its main sources (shared/ and functions/): the name
 * argument of every call that also passes a {@code MetricUnit}, written as a literal or as a string constant. This
 * module runs the functions' jars and does not link their classes, so it reads the text; a renamed metric then
 * drops out of the set.
 */
final class EmittedMetricNames {
    private static final Pattern LITERAL_NAME = Pattern.compile("\"([A-Za-z][A-Za-z0-9.]*)\"\\s*,[^;]*?MetricUnit\\.");
    private static final Pattern CONSTANT_NAME = Pattern.compile("\\b([A-Z][A-Z0-9_]*)\\s*,[^;]*?MetricUnit\\.");
    private static final Pattern CONSTANT = Pattern.compile("\\b([A-Z][A-Z0-9_]*)\\s*=\\s*\"([^\"]+)\"");

    private EmittedMetricNames() {
    }

    static Set<String> in(Path root) {
        List<String> sources = new ArrayList<>();
        for (Path folder : sourceFolders(root)) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.filter(file -> file.toString().endsWith(".java")).map(EmittedMetricNames::read).forEach(sources::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, String> constants = new HashMap<>();
        sources.forEach(text -> CONSTANT.matcher(text).results().forEach(m -> constants.put(m.group(1), m.group(2))));
        Set<String> names = new TreeSet<>();
        for (String text : sources) {
            LITERAL_NAME.matcher(text).results().forEach(m -> names.add(m.group(1)));
            Matcher constant = CONSTANT_NAME.matcher(text);
            while (constant.find()) {
                if (constants.containsKey(constant.group(1))) {
                    names.add(constants.get(constant.group(1)));
                }
            }
        }
        return names;
    }

    private static List<Path> sourceFolders(Path root) {
        List<Path> folders = new ArrayList<>(List.of(root.resolve("shared/src/main/java")));
        try (Stream<Path> modules = Files.list(root.resolve("functions"))) {
            modules.map(module -> module.resolve("src/main/java")).filter(Files::isDirectory).sorted().forEach(folders::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folders;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
