package dev.rawzone.testkit;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/** A Lambda {@link Context} for tests: a fresh request id, and remaining time that really counts down. */
public final class FakeContext implements Context {
    private final String requestId = UUID.randomUUID().toString();
    private final String functionName;
    private final IntSupplier remainingMillis;

    public FakeContext(String functionName, Duration timeout) {
        this.functionName = functionName;
        Instant deadline = Instant.now().plus(timeout);
        this.remainingMillis = () -> (int) Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
    }

    private FakeContext(String functionName, IntSupplier remainingMillis) {
        this.functionName = functionName;
        this.remainingMillis = remainingMillis;
    }

    /**
     * A context whose remaining time is {@code firstMillis} when first asked and {@code stepMillis} less at each
     * further question, whatever the clock says: a handler that asks once per unit of work runs out of time after
     * a number of units that does not depend on the machine's speed.
     */
    public static FakeContext countingDown(String functionName, int firstMillis, int stepMillis) {
        AtomicInteger asked = new AtomicInteger();
        return new FakeContext(functionName, () -> Math.max(0, firstMillis - stepMillis * asked.getAndIncrement()));
    }

    public FakeContext(String functionName) {
        this(functionName, Duration.ofMinutes(15));
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:" + Emulator.REGION + ":123456789012:function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return remainingMillis.getAsInt();
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.err.print(message);
            }

            @Override
            public void log(byte[] message) {
                System.err.print(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
