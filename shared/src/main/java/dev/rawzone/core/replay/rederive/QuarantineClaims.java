package dev.rawzone.core.replay.rederive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.core.write.PutOutcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One write-once claim per (quarantine part, target version), {@link PartKey#quarantineClaim}: which mode writes
 * the part's records valid under v<T> into generation v<T>, a quarantine release (to {@code released/}) or a
 * rebuild (to {@code from-quarantine/}). Each mode takes it (If-None-Match) before writing anything for the part
 * into v<T>; whoever finds the other mode's claim writes none of those records itself. A claim whose owner has not
 * finished (no completion marker: it crashed after claiming, or is still running) is completed by whoever finds it,
 * the owner's re-run or the other mode, with the owner's keys and rules: the outputs are write-once and derived from
 * the part alone, so two completers write the same bytes once.
 */
public final class QuarantineClaims {
    /** The mode that writes the part's valid records into the version. */
    public enum Owner {
        RELEASE, REBUILD;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Owner of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * The claim that holds.
     *
     * @param dataset the dataset the owner writes the records to (a rebuild's is today's route of the part)
     * @param runId   the run that took it
     */
    public record Holder(Owner owner, String dataset, String runId, String key) {
        public String describe() {
            return "the " + owner.label() + " run " + runId + " claimed it (" + key + ")";
        }
    }

    private final DerivedParts derived;
    private final ObjectMapper mapper;

    public QuarantineClaims(DerivedParts derived, ObjectMapper mapper) {
        this.derived = derived;
        this.mapper = mapper;
    }

    /** Takes the claim for {@code owner}, or returns the one that holds already (ours from an earlier attempt, or not). */
    public Holder take(PartKey part, int version, Owner owner, String dataset, ReplayRun run) {
        String key = part.quarantineClaim(version);
        ObjectNode claim = mapper.createObjectNode();
        claim.put("quarantine_part", part.key());
        claim.put("schema_version", version);
        claim.put("owner", owner.label());
        claim.put("dataset", dataset);
        claim.put("replay_run", run.runId());
        if (derived.mark(key, claim, run) == PutOutcome.CREATED) {
            return new Holder(owner, dataset, run.runId(), key);
        }
        return find(part, version).orElseThrow(() -> new IllegalStateException(key + " was taken and is gone"));
    }

    public Optional<Holder> find(PartKey part, int version) {
        String key = part.quarantineClaim(version);
        return derived.marker(key).map(claim -> holder(claim, key));
    }

    /**
     * A release into another of {@code versions} than {@code version} that claimed the part and wrote no release
     * marker: it crashed after claiming, or is still running, so which entries it took out of quarantine is not
     * known yet.
     */
    public Optional<Holder> unfinishedReleaseElsewhere(PartKey part, int version, List<Integer> versions) {
        return versions.stream().filter(other -> other != version)
                .flatMap(other -> find(part, other).filter(claim -> claim.owner() == Owner.RELEASE)
                        .filter(claim -> derived.marker(part.releaseMarker(other)).isEmpty()).stream())
                .findFirst();
    }

    /**
     * A unit's own result once it completed the other mode's claimed output: the records the completion wrote count
     * as written by this unit (not as there already), and its keys as this unit's.
     */
    public static UnitResult withCompletion(UnitResult own, UnitResult completion, Holder claim) {
        if (completion.written().isEmpty()) {
            return own;
        }
        long created = completion.counts().written();
        Counts counts = own.counts();
        List<String> written = new ArrayList<>(completion.written());
        written.addAll(own.written());
        return new UnitResult(own.item(), UnitStatus.DONE, own.detail() + "; completed what " + claim.describe()
                + " left unwritten: " + completion.written(), new Counts(counts.in(), counts.written() + created,
                counts.quarantined(), counts.duplicates() - created, counts.failed()), own.read(), written,
                own.bytesRead());
    }

    private static Holder holder(JsonNode claim, String key) {
        return new Holder(Owner.of(claim.path("owner").asText()), claim.path("dataset").asText(),
                claim.path("replay_run").asText(), key);
    }
}
