package dev.rawzone.runner.harness;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The {@link Context} a handler gets: a fresh request id and a clock that runs down from the function's timeout. */
final class HarnessContext implements Context {
    private final String requestId;
    private final String functionName;
    private final int memoryMb;
    private final long timeoutMillis;
    private final long deadlineNanos;
    private final LambdaLogger logger;

    HarnessContext(String requestId, String functionName, int memoryMb, long timeoutMillis, PrintStream log) {
        this.requestId = requestId;
        this.functionName = functionName;
        this.memoryMb = memoryMb;
        this.timeoutMillis = timeoutMillis;
        this.deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
        this.logger = new StderrLogger(log);
    }

    /** The function's configured timeout, as Lambda names it when the invocation runs past it. */
    long timeoutMillis() {
        return timeoutMillis;
    }

    @Override public String getAwsRequestId() { return requestId; }
    @Override public String getLogGroupName() { return "/aws/lambda/" + functionName; }
    @Override public String getLogStreamName() { return System.getenv().getOrDefault("AWS_LAMBDA_LOG_STREAM_NAME", "local"); }
    @Override public String getFunctionName() { return functionName; }
    @Override public String getFunctionVersion() { return "$LATEST"; }

    @Override
    public String getInvokedFunctionArn() {
        String region = System.getenv().getOrDefault("AWS_REGION", "us-east-1");
        return "arn:aws:lambda:" + region + ":123456789012:function:" + functionName;
    }

    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }

    @Override
    public int getRemainingTimeInMillis() {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000L;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
    }

    @Override public int getMemoryLimitInMB() { return memoryMb; }
    @Override public LambdaLogger getLogger() { return logger; }

    private static final class StderrLogger implements LambdaLogger {
        private final PrintStream out;

        StderrLogger(PrintStream out) {
            this.out = out;
        }

        @Override
        public void log(String message) {
            out.print(message);
            if (!message.endsWith("\n")) {
                out.println();
            }
            out.flush();
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    }
}
