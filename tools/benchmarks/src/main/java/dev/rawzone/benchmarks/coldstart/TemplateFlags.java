package dev.rawzone.benchmarks.coldstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A function's {@code JAVA_TOOL_OPTIONS} as template.yaml sets them, so the benchmark follows the template. */
public final class TemplateFlags {
    private static final Pattern OPTIONS = Pattern.compile("^\\s+JAVA_TOOL_OPTIONS:\\s*\"?([^\"#]*?)\"?\\s*(#.*)?$");

    private TemplateFlags() {}

    public static String javaToolOptions(Path template, String function) throws IOException {
        List<String> lines = Files.readAllLines(template);
        boolean inside = false;
        for (String line : lines) {
            if (line.matches("^  [A-Za-z0-9]+:\\s*$")) {
                inside = line.trim().equals(function + ":");
                continue;
            }
            Matcher matcher = OPTIONS.matcher(line);
            if (inside && matcher.matches()) {
                return matcher.group(1).trim();
            }
        }
        return "";
    }
}
