package dev.rawzone.runner;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressBarTest {

    @Test
    void progressLinesAreRedrawnInPlaceAndOtherLinesPrintBelowTheBar() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream bar = new ProgressBar(new PrintStream(out, true, StandardCharsets.UTF_8));

        bar.println("replay: 1/4 units, 10 records, 5 records/s, 0m06s left");
        bar.println("replay: 2/4 units, 20 records, 5 records/s, 0m04s left");
        bar.println("OK raw/s3/orders/a.jsonl.gz");
        bar.println("replay: 4/4 units, 40 records, 5 records/s, - left");
        bar.flush();

        assertEquals("\r[#######                       ] 1/4 units, 10 records, 5 records/s, 0m06s left"
                + "\r[###############               ] 2/4 units, 20 records, 5 records/s, 0m04s left\n"
                + "OK raw/s3/orders/a.jsonl.gz\n"
                + "\r[##############################] 4/4 units, 40 records, 5 records/s, - left\n",
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void onlyTheEnginesProgressLinesBecomeABar() {
        assertEquals(Optional.empty(), ProgressBar.bar("{\"level\":\"INFO\",\"message\":\"replay: 1/2 units\"}"));
        assertEquals(Optional.of("[##############################] 0/0 units, 0 records, 0 records/s, - left"),
                ProgressBar.bar("replay: 0/0 units, 0 records, 0 records/s, - left"));
    }
}
