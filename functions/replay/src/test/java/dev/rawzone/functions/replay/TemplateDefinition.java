package dev.rawzone.functions.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ReplayStateMachine's definition as template.yaml has it, read from the file at test time: the {@code !Sub} block
 * under {@code DefinitionString}, its {@code ${...}} references replaced by the values given (a reference without
 * one fails the test, so a new one is seen), parsed as the JSON Step Functions receives.
 */
final class TemplateDefinition {
    static final Path TEMPLATE = Path.of("..", "..", "template.yaml");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]+)}");
    private static final String BLOCK = "DefinitionString: !Sub |";

    private TemplateDefinition() {
    }

    static JsonNode read(Map<String, String> values) {
        Matcher references = REFERENCE.matcher(text());
        StringBuilder json = new StringBuilder();
        while (references.find()) {
            String value = values.get(references.group(1));
            if (value == null) {
                throw new IllegalArgumentException("the definition refers to ${" + references.group(1)
                        + "}: give the test a value for it");
            }
            references.appendReplacement(json, Matcher.quoteReplacement(value));
        }
        references.appendTail(json);
        try {
            return new ObjectMapper().readTree(json.toString());
        } catch (IOException e) {
            throw new IllegalStateException("the definition in template.yaml is not JSON", e);
        }
    }

    /** The block's lines: those after {@code DefinitionString: !Sub |} indented deeper than it, under ReplayStateMachine. */
    private static String text() {
        List<String> lines;
        try {
            lines = Files.readAllLines(TEMPLATE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = lines.indexOf("  ReplayStateMachine:");
        while (!lines.get(start).strip().equals(BLOCK)) {
            start++;
        }
        int indent = lines.get(start).indexOf(BLOCK);
        StringBuilder block = new StringBuilder();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (!line.isBlank() && line.length() - line.stripLeading().length() <= indent) {
                break;
            }
            block.append(line).append('\n');
        }
        return block.toString();
    }
}
