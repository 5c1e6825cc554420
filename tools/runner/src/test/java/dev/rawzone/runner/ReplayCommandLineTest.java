package dev.rawzone.runner;

import dev.rawzone.core.replay.ReplayMode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReplayCommandLineTest {

    @Test
    void theCommandLineBecomesTheReplayFunctionsEvent() {
        Cli cli = Cli.parse(new String[]{"replay", "rebuild", "--source", "s3", "--dataset", "orders", "--from",
                "2026-11-01", "--to", "2026-11-30", "--keys", "raw/a, raw/b", "--schema-version", "2", "--run-id",
                "after-v2", "--dry-run"});

        assertEquals("{\"mode\":\"rebuild\",\"selection\":{\"source\":\"s3\",\"dataset\":\"orders\",\"from\":\"2026-11-01\","
                        + "\"to\":\"2026-11-30\",\"keys\":[\"raw/a\",\"raw/b\"],\"schema_version\":2},\"dry_run\":true,"
                        + "\"run_id\":\"after-v2\"}",
                ReplayCommand.event(cli, ReplayMode.REBUILD, ReplayCommand.selection(cli)).toString());
    }

    @Test
    void theQuarantineFlagAndAPlanFileGoIntoTheEvent() {
        Cli cli = Cli.parse(new String[]{"replay", "redrive", "--quarantine", "--plan", "plan.json"});

        assertEquals("{\"mode\":\"redrive\",\"selection\":{\"quarantine\":true},\"dry_run\":false,\"plan\":true}",
                ReplayCommand.event(cli, ReplayMode.REDRIVE, ReplayCommand.selection(cli)).toString());
    }

    @Test
    void aMalformedSelectionIsAUsageErrorNamingTheOption() {
        RunnerException badDate = assertThrows(RunnerException.class, () -> ReplayCommand.selection(
                Cli.parse(new String[]{"replay", "verify", "--from", "last-week"})));
        RunnerException badRange = assertThrows(RunnerException.class, () -> ReplayCommand.selection(
                Cli.parse(new String[]{"replay", "verify", "--from", "2026-11-05", "--to", "2026-11-01"})));

        assertEquals("--from takes a date like 2026-12-01, not last-week", badDate.getMessage());
        assertEquals("--from 2026-11-05 is after --to 2026-11-01", badRange.getMessage());
        assertEquals(2, badDate.exitCode());
        assertEquals("--source needs a value",
                assertThrows(RunnerException.class, () -> Cli.parse(new String[]{"replay", "verify", "--source"}))
                        .getMessage());
    }
}
