package dev.rawzone.core.validate;

import com.networknt.schema.ValidationMessage;
import java.util.Collection;
import java.util.Iterator;
import java.util.TreeSet;

/** Renders validation messages as one short, readable, deterministic line. */
final class Violations {
    private static final int MAX_ONE = 240;
    private static final String SEPARATOR = "; ";

    private Violations() {
    }

    /** The messages sorted and joined with "; ", cut to at most {@code max} characters with a count of the rest. */
    static String join(Collection<ValidationMessage> messages, int max) {
        TreeSet<String> lines = new TreeSet<>();
        for (ValidationMessage message : messages) {
            lines.add(cap(describe(message), MAX_ONE));
        }
        String all = String.join(SEPARATOR, lines);
        if (all.length() <= max) {
            return all;
        }
        int budget = max - 40; // room for the "(+N more)" tail
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
            String line = it.next();
            int needed = (out.length() == 0 ? 0 : SEPARATOR.length()) + line.length();
            if (out.length() + needed > budget) {
                break;
            }
            if (out.length() > 0) {
                out.append(SEPARATOR);
            }
            out.append(line);
            shown++;
        }
        return out.append(out.length() > 0 ? SEPARATOR : "").append("... (+").append(lines.size() - shown)
                .append(" more)").toString();
    }

    static String describe(ValidationMessage message) {
        String location = String.valueOf(message.getInstanceLocation());
        String type = message.getType();
        Object[] arguments = message.getArguments();
        if ("required".equals(type) && message.getProperty() != null) {
            return SchemaCompatibility.child(location, message.getProperty()) + ": required property missing";
        }
        if ("additionalProperties".equals(type) && message.getProperty() != null) {
            return SchemaCompatibility.child(location, message.getProperty()) + ": property not allowed";
        }
        if ("type".equals(type) && arguments != null && arguments.length >= 2) {
            return location + ": " + arguments[1] + " expected, " + arguments[0] + " found";
        }
        return message.getMessage();
    }

    private static String cap(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
