package dev.rawzone.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.observe.XRaySubsegments;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.Crc32MismatchException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.ClockSkew;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.zip.CRC32;

/**
 * One call of an operation of an AWS service's JSON protocol ({@code awsJson1_0} / {@code awsJson1_1}), sent over
 * the SDK's own HTTP client, SigV4 signer and retry strategy instead of the service's SDK module, whose model
 * classes are megabytes of a function's jar for the one or two operations the functions use.
 *
 * <p>Failures are {@link AwsServiceException}s carrying the service's error code and HTTP response, as its SDK
 * client would throw them. Region, endpoint and credentials are resolved per call, never at construction, so a
 * SnapStart snapshot holds none of them. A retry after a clock-skew error is signed with the clock corrected by
 * the service's {@code Date}, and a response whose {@code x-amz-crc32} (DynamoDB's) does not match its body fails
 * with the SDK's {@link Crc32MismatchException}, as the SDK does; each call is a subsegment of the invocation's trace.
 */
public final class AwsJsonCall {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<AwsJsonCallListener> LISTENERS = ServiceLoader.load(AwsJsonCallListener.class,
            AwsJsonCall.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();

    private final AwsJsonService service;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Supplier<String> region;
    private final Supplier<URI> endpoint;
    private final RetryStrategy retries;
    private final XRaySubsegments subsegments;
    private final Clock clock;

    /** With {@code clock} as this machine's, which a test sets off the service's. */
    public AwsJsonCall(AwsJsonService service, SdkHttpClient http, AwsCredentialsProvider credentials,
                       Supplier<String> region, Supplier<URI> endpoint, XRaySubsegments subsegments, Clock clock) {
        this.service = service;
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint;
        this.retries = service.retryStrategy();
        this.subsegments = subsegments;
        this.clock = clock;
    }

    /** The operation's answer to {@code request}, retried as the service's SDK client would retry it. */
    public JsonNode call(String operation, JsonNode request) {
        byte[] body = request.toString().getBytes(StandardCharsets.UTF_8);
        LISTENERS.forEach(listener -> listener.beforeCall(service.displayName(), operation, request));
        Instant started = Instant.now();
        Answer answer;
        try {
            answer = retried(operation, body);
        } catch (RuntimeException e) {
            subsegments.sendCall(service.displayName(), operation, started, Instant.now(),
                    e instanceof AwsServiceException s ? Optional.ofNullable(s.awsErrorDetails().sdkHttpResponse())
                            : Optional.empty(), Optional.of(e));
            throw e;
        }
        subsegments.sendCall(service.displayName(), operation, started, Instant.now(), Optional.of(answer.http()),
                Optional.empty());
        LISTENERS.forEach(listener -> listener.afterCall(service.displayName(), operation, request));
        try {
            return MAPPER.readTree(answer.content());
        } catch (IOException e) {
            throw new UncheckedIOException(name(operation) + ": unreadable response", e);
        }
    }

    private Answer retried(String operation, byte[] body) {
        RetryToken token = retries.acquireInitialToken(AcquireInitialTokenRequest.create(service.signingName()))
                .token();
        Duration clockAhead = Duration.ZERO;
        while (true) {
            try {
                Answer answer = attempt(operation, body, clockAhead);
                retries.recordSuccess(RecordSuccessRequest.create(token));
                return answer;
            } catch (AwsServiceException | SdkClientException e) {
                clockAhead = clockAheadOfServer(e).orElse(clockAhead);
                Duration delay;
                try {
                    var refreshed = retries.refreshRetryToken(RefreshRetryTokenRequest.builder().token(token)
                            .failure(e).build());
                    token = refreshed.token();
                    delay = refreshed.delay();
                } catch (TokenAcquisitionFailedException notRetried) {
                    throw e;
                }
                sleep(operation, delay);
            } catch (IOException e) {
                throw new UncheckedIOException(name(operation) + ": unreadable response", e);
            }
        }
    }

    /** How far this machine's clock runs ahead of the service's, when {@code e} says the signature's time was refused. */
    private Optional<Duration> clockAheadOfServer(Exception e) {
        if (!(e instanceof AwsServiceException serviceError) || !serviceError.isClockSkewException()) {
            return Optional.empty();
        }
        return ClockSkew.getServerTime(serviceError.awsErrorDetails().sdkHttpResponse())
                .map(server -> ClockSkew.getClockSkew(clock.instant(), server));
    }

    private Answer attempt(String operation, byte[] body, Duration clockAhead) throws IOException {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint.get())
                .putHeader("Content-Type", service.contentType())
                .putHeader("X-Amz-Target", service.target(operation))
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
        Instant signedAt = clock.instant().minus(clockAhead);
        SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
                .identity(credentials.resolveCredentials())
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service.signingName())
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.get())
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
        HttpExecuteResponse response;
        try {
            response = http.prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null))
                    .build()).call();
        } catch (IOException e) {
            throw SdkClientException.create(name(operation) + ": " + e.getMessage(), e);
        }
        byte[] content;
        try (InputStream in = response.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream())) {
            content = in.readAllBytes();
        }
        checkCrc32(operation, response.httpResponse(), content);
        int status = response.httpResponse().statusCode();
        if (status / 100 == 2) {
            return new Answer(response.httpResponse(), content);
        }
        JsonNode error = errorBody(content);
        String type = response.httpResponse().firstMatchingHeader("x-amzn-ErrorType")
                .orElse(error.path("__type").asText("Unknown"));
        String code = type.substring(type.lastIndexOf('#') + 1).split(":", 2)[0];
        String message = error.has("message") ? error.path("message").asText() : error.path("Message").asText(code);
        throw AwsServiceException.builder()
                .statusCode(status)
                .message(message)
                // as the SDK sets it: how far the signature's time was behind this machine's, which
                // isClockSkewException compares with the response's Date
                .clockSkew(Duration.between(signedAt, Instant.now()))
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message)
                        .serviceName(service.displayName()).sdkHttpResponse(response.httpResponse()).build())
                .build();
    }

    /** DynamoDB sends the CRC32 of the body it wrote; a body damaged on the way is refused, as by the SDK. */
    private void checkCrc32(String operation, SdkHttpResponse response, byte[] content) {
        Optional<String> expected = response.firstMatchingHeader("x-amz-crc32");
        if (expected.isEmpty()) {
            return;
        }
        CRC32 crc = new CRC32();
        crc.update(content);
        if (crc.getValue() != Long.parseLong(expected.get().trim())) {
            throw Crc32MismatchException.builder().message(name(operation) + ": the response's CRC32 is "
                    + crc.getValue() + ", not the " + expected.get() + " its x-amz-crc32 header says").build();
        }
    }

    /** The service's JSON error, or an empty one for a body a proxy or load balancer wrote (HTML, plain text). */
    private static JsonNode errorBody(byte[] content) {
        try {
            JsonNode error = content.length == 0 ? null : MAPPER.readTree(content);
            return error != null && error.isObject() ? error : MAPPER.createObjectNode();
        } catch (IOException notJson) {
            return MAPPER.createObjectNode();
        }
    }

    private String name(String operation) {
        return service.displayName() + " " + operation;
    }

    private record Answer(SdkHttpResponse http, byte[] content) {
    }

    private void sleep(String operation, Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SdkClientException.create("interrupted while waiting to retry " + name(operation), e);
        }
    }
}
