package dev.rawzone.core.read;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * RFC 4180 fields of one record, fed piece by piece. Bad quoting is kept as the record's error while parsing
 * goes on, so that the end of the record is still found where it would be for a well-formed one.
 */
final class CsvFields implements LineSplitter.Overflow {

    private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

    private final List<String> fields = new ArrayList<>();
    private final StringBuilder field = new StringBuilder();
    private State state = State.FIELD_START;
    private String error;
    private boolean discarding;

    void reset() {
        fields.clear();
        field.setLength(0);
        state = State.FIELD_START;
        error = null;
        discarding = false;
    }

    void feed(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            step(text.charAt(i));
        }
    }

    /**
     * Bytes of an over-long line: only tracked, to find where the record ends. Reading them as Latin-1 is enough
     * because UTF-8 encodes quote and comma as themselves and never uses those byte values inside other characters.
     */
    @Override
    public void skipped(byte[] bytes, int from, int to) {
        discarding = true;
        field.setLength(0);
        for (int i = from; i < to; i++) {
            step((char) (bytes[i] & 0xff));
        }
    }

    /** The record goes on past a line break, which belongs to the open quoted field. */
    void lineBreak(String lineBreak) {
        append(lineBreak);
    }

    boolean inQuotedField() {
        return state == State.QUOTED;
    }

    Optional<String> error() {
        return Optional.ofNullable(error);
    }

    List<String> finish() {
        endField();
        return List.copyOf(fields);
    }

    private void step(char c) {
        switch (state) {
            case FIELD_START -> {
                if (c == '"') {
                    state = State.QUOTED;
                } else if (c == ',') {
                    endField();
                } else {
                    append(c);
                    state = State.UNQUOTED;
                }
            }
            case UNQUOTED -> {
                if (c == ',') {
                    endField();
                } else {
                    if (c == '"') {
                        fail("unexpected quote in unquoted field " + (fields.size() + 1));
                    }
                    append(c);
                }
            }
            case QUOTED -> {
                if (c == '"') {
                    state = State.QUOTE_IN_QUOTED;
                } else {
                    append(c);
                }
            }
            case QUOTE_IN_QUOTED -> {
                if (c == '"') {
                    append(c);
                    state = State.QUOTED;
                } else if (c == ',') {
                    endField();
                } else {
                    fail("unexpected character after closing quote in field " + (fields.size() + 1));
                    append(c);
                    state = State.UNQUOTED;
                }
            }
        }
    }

    private void append(char c) {
        if (!discarding) {
            field.append(c);
        }
    }

    private void append(CharSequence text) {
        if (!discarding) {
            field.append(text);
        }
    }

    private void endField() {
        if (!discarding) {
            fields.add(field.toString());
        }
        field.setLength(0);
        state = State.FIELD_START;
    }

    private void fail(String reason) {
        if (error == null) {
            error = reason;
        }
    }
}
