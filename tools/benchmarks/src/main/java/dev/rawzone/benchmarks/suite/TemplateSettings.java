package dev.rawzone.benchmarks.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A function's MemorySize and Timeout in template.yaml, a {@code !Ref} resolved to the parameter's Default. */
final class TemplateSettings {
    private static final Pattern RESOURCE = Pattern.compile("^  ([A-Za-z0-9]+):\\s*$");
    private static final Pattern TOP = Pattern.compile("^([A-Za-z]+):\\s*$");

    private final List<String> lines;

    private TemplateSettings(List<String> lines) {
        this.lines = lines;
    }

    static TemplateSettings read(Path template) throws IOException {
        return new TemplateSettings(Files.readAllLines(template));
    }

    int memorySizeMb(String function) {
        return Integer.parseInt(resolve(property(function, "MemorySize")));
    }

    int timeoutSeconds(String function) {
        return Integer.parseInt(resolve(property(function, "Timeout")));
    }

    int parameterDefault(String parameter) {
        return Integer.parseInt(property(parameter, "Default"));
    }

    /** The first {@code key:} value in the block of top-level entry {@code name} (a resource or a parameter). */
    private String property(String name, String key) {
        Pattern value = Pattern.compile("^\\s+" + key + ":\\s*([^#]*?)\\s*(#.*)?$");
        boolean inside = false;
        for (String line : lines) {
            Matcher resource = RESOURCE.matcher(line);
            if (resource.matches() || TOP.matcher(line).matches()) {
                inside = resource.matches() && resource.group(1).equals(name);
                continue;
            }
            Matcher matcher = value.matcher(line);
            if (inside && matcher.matches()) {
                return matcher.group(1).replace("\"", "");
            }
        }
        throw new IllegalArgumentException("template.yaml gives " + name + " no " + key);
    }

    private String resolve(String value) {
        return Optional.of(value).filter(v -> v.startsWith("!Ref ")).map(v -> property(v.substring(5).trim(), "Default"))
                .orElse(value);
    }
}
