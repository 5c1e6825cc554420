package dev.rawzone.core.replay.rederive;

import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.core.write.ConditionalSink;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole-object copies in quarantine ({@code <stem>.object}, an S3 object that could not be read as records, or
 * not from some line on): a rebuild or a release cannot re-derive them record by record, so each is a unit of its
 * own that says so and names the landing object whose re-ingestion (once it is readable) would. It counts as the one
 * quarantined unit ingest counted it as: how many records it holds nobody knows.
 */
public final class WholeObjectCopies {
    public static final String WHOLE_OBJECT = "whole-object";

    private final ConditionalSink raw;

    public WholeObjectCopies(ConditionalSink raw) {
        this.raw = raw;
    }

    public ReplayItem item(PartKey copy) {
        return new ReplayItem(WHOLE_OBJECT, copy.key());
    }

    public UnitResult report(ReplayItem item) {
        Optional<Map<String, String>> metadata = raw.metadata(item.key());
        if (metadata.isEmpty()) {
            return UnitResult.of(item, UnitStatus.MISSING, "whole-object copy " + item.key() + " is not in the raw bucket");
        }
        Map<String, String> lineage = metadata.get();
        String covers = "remainder".equals(lineage.get("covers"))
                ? "its lines from " + lineage.getOrDefault("covers-from-line", "?") + " on" : "all of it";
        String landing = StoredPart.decoded(lineage.getOrDefault("source-identity", "an unknown landing object"));
        return new UnitResult(item, UnitStatus.OK, "whole-object copy of " + landing + " (unreadable: "
                + lineage.getOrDefault("reason", "no reason kept") + "; the verdict covers " + covers
                + "): not re-derivable record by record; left quarantined. Once that object is readable, re-ingest it "
                + "(./ingest replay redrive of its S3 event, or a new notification)", new Counts(1, 0, 1, 0, 0),
                List.of(item.key()), List.of(), 0);
    }
}
