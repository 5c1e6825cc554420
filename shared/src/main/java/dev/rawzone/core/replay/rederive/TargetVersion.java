package dev.rawzone.core.replay.rederive;

import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.ReplaySelection;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaException;

import java.util.Map;
import java.util.Optional;

/**
 * The generation a unit writes: the selection's schema version, or its dataset's current one. Fixed when the run
 * is planned and carried in each item, so every unit of a run writes the same generation even when a version is
 * published while it runs; a unit whose records route to another dataset today takes that dataset's current
 * version unless the selection named one.
 */
public final class TargetVersion {
    public static final String VERSION = "schema_version";
    static final String FROM = "version_from";
    private static final String FROM_SELECTION = "selection";
    private static final String FROM_CURRENT = "current";

    private final SchemaCatalogue catalogue;

    public TargetVersion(SchemaCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /** The item attributes for a part of {@code dataset}: no version when the dataset has no usable schema. */
    public Map<String, String> attributes(ReplaySelection selection, String dataset) {
        if (selection.schemaVersion().isPresent()) {
            return Map.of(VERSION, selection.schemaVersion().get().toString(), FROM, FROM_SELECTION);
        }
        try {
            return Map.of(VERSION, Integer.toString(catalogue.currentVersion(dataset)), FROM, FROM_CURRENT);
        } catch (SchemaException e) {
            return Map.of(FROM, FROM_CURRENT);
        }
    }

    /** The version planned into the attributes, if there is one. */
    public static Optional<Integer> planned(Map<String, String> attributes) {
        return Optional.ofNullable(attributes.get(VERSION)).map(Integer::valueOf);
    }

    /**
     * The version this unit writes, its records now belonging to {@code toDataset}.
     *
     * @throws SchemaException when the dataset has no usable schema
     */
    public int resolve(ReplayItem item, String fromDataset, String toDataset) {
        Optional<Integer> planned = planned(item.attributes());
        boolean fromSelection = FROM_SELECTION.equals(item.attributes().get(FROM));
        if (planned.isPresent() && (fromSelection || fromDataset.equals(toDataset))) {
            return planned.get();
        }
        return catalogue.currentVersion(toDataset);
    }
}
