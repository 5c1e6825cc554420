package dev.rawzone.simulation;

/** One source's scenarios: a seed in, the scenario it stands for run against the lab, its result out. */
interface SourceSimulation {
    String name();

    ScenarioResult run(long seed, Lab lab);

    /** How many seeds (from 1) the fixed suite CI runs of this source. */
    default int suiteSeeds() {
        return Simulate.SUITE_SEEDS;
    }
}
