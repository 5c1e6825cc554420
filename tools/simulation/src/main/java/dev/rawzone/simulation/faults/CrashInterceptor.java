package dev.rawzone.simulation.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.config.AwsJsonCallListener;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Registered for every SDK client in the JVM (the SDK's global {@code execution.interceptors} file) and for every
 * call the functions make without an SDK client ({@link AwsJsonCallListener}, a {@code ServiceLoader} service:
 * DynamoDB's checkpoints, Secrets Manager, SSM), so the handlers run exactly as wired for Lambda. Reports each
 * call, before it is sent and after its answer arrived, to the armed {@link CrashPlan}.
 */
public final class CrashInterceptor implements ExecutionInterceptor, AwsJsonCallListener {

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        CrashPlan.reached(operation(attributes), target(context.request(), attributes), CrashPoint.When.BEFORE);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        CrashPlan.reached(operation(attributes), target(context.request(), attributes), CrashPoint.When.AFTER);
    }

    @Override
    public void beforeCall(String service, String operation, JsonNode request) {
        CrashPlan.reached(operation, request.path("TableName").asText(""), CrashPoint.When.BEFORE);
    }

    @Override
    public void afterCall(String service, String operation, JsonNode request) {
        CrashPlan.reached(operation, request.path("TableName").asText(""), CrashPoint.When.AFTER);
    }

    private static String operation(ExecutionAttributes attributes) {
        return attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    }

    /** The S3 key, or the DynamoDB table, or the empty string. */
    private static String target(SdkRequest request, ExecutionAttributes attributes) {
        String field = "S3".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)) ? "Key" : "TableName";
        return request.getValueForField(field, String.class).orElse("");
    }
}
