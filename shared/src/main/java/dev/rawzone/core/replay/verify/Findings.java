package dev.rawzone.core.replay.verify;

import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * What one verify unit found, gathered while it checks: problems (a missing object outranks a difference), the
 * records checked, the keys read and the position claims for the cross-unit check.
 */
final class Findings {
    private final List<String> missing = new ArrayList<>();
    private final List<String> differs = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> read = new ArrayList<>();
    private final List<Claim> claims = new ArrayList<>();
    private long records;
    private long bytes;

    void missing(String what) {
        missing.add(what);
    }

    void differs(String what) {
        differs.add(what);
    }

    /** Said in the detail of an OK unit (what was not checked, and why). */
    void note(String what) {
        notes.add(what);
    }

    void read(String key, long byteCount) {
        read.add(key);
        bytes += byteCount;
    }

    void checked(long recordCount) {
        records += recordCount;
    }

    void claim(Claim claim) {
        claims.add(claim);
    }

    boolean hasMissing() {
        return !missing.isEmpty();
    }

    UnitResult result(ReplayItem item, String checkedWhat) {
        UnitStatus status = !missing.isEmpty() ? UnitStatus.MISSING
                : !differs.isEmpty() ? UnitStatus.DIFFERS : UnitStatus.OK;
        List<String> said = new ArrayList<>(missing);
        said.addAll(differs);
        if (said.isEmpty()) {
            said.add(checkedWhat);
            said.addAll(notes);
        }
        List<String> readList = new ArrayList<>(read);
        claims.forEach(claim -> readList.add(claim.toText()));
        return new UnitResult(item, status, String.join("; ", said), new Counts(records, 0, 0, 0, 0), readList,
                List.of(), bytes);
    }
}
