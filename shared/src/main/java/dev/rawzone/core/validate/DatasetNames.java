package dev.rawzone.core.validate;

import dev.rawzone.core.route.Route;

/** Dataset names become parts of resource paths and keys, so only names a route may carry are looked up. */
final class DatasetNames {
    private DatasetNames() {
    }

    static String require(String dataset) {
        if (!Route.isDatasetName(dataset)) {
            throw new UnknownDatasetException(dataset,
                    "dataset name \"" + dataset + "\" is not valid (it must match " + Route.DATASET_NAME.pattern() + ")");
        }
        return dataset;
    }
}
