package dev.rawzone.benchmarks.suite;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CostModelTest {
    private static final double GIB = 1024.0 * 1024 * 1024;

    @Test
    void firehoseBillsEachRecordAsAtLeastFiveKilobytes() {
        CostModel.Item oneKb = CostModel.firehose(1_048_576, 1024);
        assertEquals(5.0, oneKb.quantity(), 1e-9);
        assertEquals(5 * 0.029, oneKb.dollars(), 1e-9);

        assertEquals(15.0 * 1000 * 1024 / GIB, CostModel.firehose(1000, 12 * 1024).quantity(), 1e-12);
    }

    @Test
    void lambdaTimeIsCpuTimeOverTheVcpuShareOfTheMemorySize() {
        // 1,000 records of 1 KiB in 100 ms of CPU: 1,048,576 records a GiB take 104.9 s of CPU, / (1024 / 1769) vCPU.
        List<CostModel.Item> items = CostModel.stream(new CostModel.StreamInputs(100, 1000, 1024,
                Map.of("S3 PutObject", 0.001, "DynamoDb GetItem", 0.001), 1000, 1024));

        double lambdaSeconds = 104.8576 / (1024 / 1769.0);
        assertEquals(lambdaSeconds, items.get(0).quantity(), 1e-6);
        assertEquals(1048.576, items.get(1).quantity(), 1e-9);
        CostModel.Item puts = items.stream().filter(i -> i.what().startsWith("S3 PutObject")).findFirst().orElseThrow();
        assertEquals(1048.576 * 0.005 / 1000, puts.dollars(), 1e-12);
    }

    @Test
    void aLongObjectTakesContinuationsThatEachSkipWhatTheEarlierOnesCovered() {
        // 2,000 s of work on 1,000 MiB of JSON Lines, skipping at 10 MiB/s, 900 s per invocation:
        // 1st: 900 s (45% covered); 2nd: 45 s skip + 855 s (87.75%); 3rd: 87.75 s skip + 245 s.
        CostModel.Invocations invocations = CostModel.invocations(2000, 1000, Optional.of(10.0), 900);

        assertEquals(3, invocations.count());
        assertEquals(45 + 87.75, invocations.skipSeconds(), 1e-9);
        assertEquals(2000 + 45 + 87.75, invocations.seconds(), 1e-9);
        assertEquals(new CostModel.Invocations(1, 300, 0), CostModel.invocations(300, 1000, Optional.of(10.0), 900));
    }

    @Test
    void anOperationWithoutAPriceIsAnErrorNotAFreeCall() {
        assertEquals(0.625 / 1e6, CostModel.price("DynamoDb PutItem"), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> CostModel.price("Kinesis GetRecords"));
    }
}
