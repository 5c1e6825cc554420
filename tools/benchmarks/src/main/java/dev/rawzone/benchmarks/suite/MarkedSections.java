package dev.rawzone.benchmarks.suite;

/**
 * The generated parts of a Markdown document: each lies between {@code <!-- bench:ID -->} and
 * {@code <!-- /bench:ID -->} and is replaced whole; everything outside the markers is kept as it is.
 */
final class MarkedSections {
    private MarkedSections() {
    }

    static String start(String id) {
        return "<!-- bench:" + id + " -->";
    }

    static String end(String id) {
        return "<!-- /bench:" + id + " -->";
    }

    /** The document with section {@code id} holding {@code body}; a section not there yet is added at the end. */
    static String replace(String document, String id, String body) {
        String start = start(id);
        String end = end(id);
        String block = start + "\n" + body.strip() + "\n" + end;
        int from = document.indexOf(start);
        if (from < 0) {
            if (document.contains(end)) {
                throw new IllegalArgumentException(end + " without " + start);
            }
            String separator = document.isEmpty() || document.endsWith("\n\n") ? "" : document.endsWith("\n") ? "\n" : "\n\n";
            return document + separator + block + "\n";
        }
        int to = document.indexOf(end, from);
        if (to < 0) {
            throw new IllegalArgumentException(start + " without " + end);
        }
        if (document.indexOf(start, from + start.length()) >= 0) {
            throw new IllegalArgumentException(start + " appears twice");
        }
        return document.substring(0, from) + block + document.substring(to + end.length());
    }
}
