package dev.rawzone.simulation.faults;

/**
 * The process stopping at an injected point. An {@link Error}, so no {@code catch (RuntimeException)} or
 * {@code catch (Exception)} of the code under test sees it: nothing after the point runs but {@code finally}
 * blocks, and the product's only ones clear the logging context (checked by {@code CrashModelTest}).
 */
public final class SimulatedCrash extends Error {
    public SimulatedCrash(String where) {
        super("simulated crash " + where, null, false, false);
    }
}
