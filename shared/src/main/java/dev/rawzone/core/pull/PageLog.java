package dev.rawzone.core.pull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.PutOutcome;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The write-once log of fetched pages, one object per page sequence number:
 * {@code manifests/pull/pages/<source>/<seq>.json.gz} (not under the dataset: a source moved to another dataset
 * finds the pages it staged before the move, and writes them where they were going). A page is staged here before anything is written
 * from it; whoever stages sequence number N first decides what page N holds, and every run that reaches N later
 * (a re-run after a crash, an overlapping run) processes that same page. An API whose answers change between
 * runs therefore cannot make a re-run write a record twice under a different part name. It is also a replayable
 * copy of what the API served, as the landing bucket is for S3.
 */
final class PageLog {
    private final ConditionalSink raw;
    private final ObjectMapper mapper;

    PageLog(ConditionalSink raw, ObjectMapper mapper) {
        this.raw = raw;
        this.mapper = mapper;
    }

    /** A staged page, and whether this run staged it ({@code ours}) or found it staged by another. */
    record Staged(StagedPage page, boolean ours) {
    }

    String key(PullSource source, long seq) {
        return "manifests/" + PullSource.SOURCE_KIND + "/pages/" + source.identity().stem() + "/"
                + String.format("%012d", seq) + ".json.gz";
    }

    Optional<StagedPage> find(PullSource source, long seq) {
        return raw.read(key(source, seq)).map(bytes -> StagedPage.fromBytes(bytes, source, mapper));
    }

    /** @param marks the run's lineage marks (a replay's run and mode), which the staged page carries too */
    Staged stage(PullSource source, StagedPage page, Map<String, String> marks) {
        String key = key(source, page.seq());
        Map<String, String> metadata = new LinkedHashMap<>(marks);
        metadata.putAll(Map.of("source", PullSource.SOURCE_KIND,
                "source-identity", source.identity().uri(), "page-seq", Long.toString(page.seq()),
                "record-count", Integer.toString(page.body().records().size())));
        if (raw.putIfAbsent(key, page.toBytes(source, mapper), metadata) == PutOutcome.CREATED) {
            return new Staged(page, true);
        }
        StagedPage existing = find(source, page.seq()).orElseThrow(() -> new IllegalStateException(
                "page " + key + " was reported as existing but cannot be read"));
        return new Staged(existing, false);
    }
}
