package dev.rawzone.functions.pull;

import java.util.ArrayList;
import java.util.List;

/** Well-formed pages of contacts for a {@code MisbehavingApi} to serve, and what they hold. */
final class ScriptedPages {
    private ScriptedPages() {
    }

    /** One page of contacts 1 to {@code count} (at most 9), with no page after it. */
    static String contacts(int count) {
        List<String> records = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            records.add("{" + PullFixture.contactFields(i) + "}");
        }
        return "{\"records\":[" + String.join(",", records) + "],\"has_more\":false}";
    }

    /** The versions {@link #contacts} serves, as {@link PullFixture#assertExactlyOnce} names them. */
    static List<String> versions(int count) {
        List<String> versions = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            versions.add(i + "@2026-11-25T08:00:0" + i + "Z");
        }
        return versions;
    }
}
