package dev.rawzone.core.config;

import dev.rawzone.core.observe.XRaySubsegments;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
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
import java.util.Optional;
import java.util.function.Supplier;

/**
 * SSM Parameter Store's {@code GetParameter} (with decryption, so SecureString too), sent over the SDK's own HTTP
 * client, SigV4 signer and standard retry strategy instead of the SSM module: that module is about 5 MB of a
 * function's jar for its 2,797 model classes, of which the functions use one operation. The request and response are
 * SSM's documented {@code awsJson1_1} protocol ({@code X-Amz-Target: AmazonSSM.GetParameter}).
 *
 * <p>Failures are {@link AwsServiceException}s carrying SSM's error code, as the SSM client would throw them (a
 * missing parameter has code {@value #PARAMETER_NOT_FOUND}). Region, endpoint and credentials are resolved per call,
 * never at construction, so a SnapStart snapshot holds none of them. A retry after a clock-skew error is signed with
 * the clock corrected by SSM's {@code Date}, as the SDK does; each call is a subsegment of the invocation's trace.
 */
public final class SsmParameters {
    public static final String PARAMETER_NOT_FOUND = "ParameterNotFound";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Supplier<String> region;
    private final Supplier<URI> endpoint;
    private final RetryStrategy retries = AwsRetryStrategy.defaultRetryStrategy();
    private final ObjectMapper mapper = new ObjectMapper();
    private final XRaySubsegments subsegments;
    private final Clock clock;

    public SsmParameters(SdkHttpClient http, AwsCredentialsProvider credentials, Supplier<String> region,
                         Supplier<URI> endpoint, XRaySubsegments subsegments) {
        this(http, credentials, region, endpoint, subsegments, Clock.systemUTC());
    }

    /** With {@code clock} as this machine's, which a test sets off SSM's. */
    SsmParameters(SdkHttpClient http, AwsCredentialsProvider credentials, Supplier<String> region,
                  Supplier<URI> endpoint, XRaySubsegments subsegments, Clock clock) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint;
        this.subsegments = subsegments;
        this.clock = clock;
    }

    /** The parameter's value, decrypted. */
    public String value(String name) {
        Instant started = Instant.now();
        Answer answer;
        String value;
        try {
            answer = retried(name);
            value = valueIn(name, answer.content());
        } catch (RuntimeException e) {
            subsegments.sendCall("SSM", "GetParameter", started, Instant.now(), e instanceof AwsServiceException s
                    ? Optional.ofNullable(s.awsErrorDetails().sdkHttpResponse()) : Optional.empty(), Optional.of(e));
            throw e;
        }
        subsegments.sendCall("SSM", "GetParameter", started, Instant.now(), Optional.of(answer.http()),
                Optional.empty());
        return value;
    }

    private String valueIn(String name, byte[] content) {
        JsonNode value;
        try {
            value = mapper.readTree(content).path("Parameter").path("Value");
        } catch (IOException e) {
            throw new UncheckedIOException("SSM GetParameter " + name + ": unreadable response", e);
        }
        if (!value.isTextual()) {
            throw SdkClientException.create("SSM GetParameter " + name + ": the response has no Parameter.Value");
        }
        return value.asText();
    }

    private Answer retried(String name) {
        byte[] body = mapper.createObjectNode().put("Name", name).put("WithDecryption", true).toString()
                .getBytes(StandardCharsets.UTF_8);
        RetryToken token = retries.acquireInitialToken(AcquireInitialTokenRequest.create("ssm")).token();
        Duration clockAhead = Duration.ZERO;
        while (true) {
            try {
                Answer answer = call(body, clockAhead);
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
                sleep(delay);
            } catch (IOException e) {
                throw new UncheckedIOException("SSM GetParameter " + name + ": unreadable response", e);
            }
        }
    }

    /** How far this machine's clock runs ahead of SSM's, when {@code e} says the signature's time was refused. */
    private Optional<Duration> clockAheadOfServer(Exception e) {
        if (!(e instanceof AwsServiceException service) || !service.isClockSkewException()) {
            return Optional.empty();
        }
        return ClockSkew.getServerTime(service.awsErrorDetails().sdkHttpResponse())
                .map(server -> ClockSkew.getClockSkew(clock.instant(), server));
    }

    private Answer call(byte[] body, Duration clockAhead) throws IOException {
        String signingRegion = region.get();
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint.get())
                .putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("X-Amz-Target", "AmazonSSM.GetParameter")
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
        Instant signedAt = clock.instant().minus(clockAhead);
        SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
                .identity(credentials.resolveCredentials())
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ssm")
                .putProperty(AwsV4HttpSigner.REGION_NAME, signingRegion)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
        HttpExecuteResponse response;
        try {
            response = http.prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null))
                    .build()).call();
        } catch (IOException e) {
            throw SdkClientException.create("SSM GetParameter: " + e.getMessage(), e);
        }
        byte[] content;
        try (InputStream in = response.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream())) {
            content = in.readAllBytes();
        }
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
                        .serviceName("SSM").sdkHttpResponse(response.httpResponse()).build())
                .build();
    }

    /** SSM's JSON error, or an empty one for a body a proxy or load balancer wrote (HTML, plain text). */
    private JsonNode errorBody(byte[] content) {
        try {
            JsonNode error = content.length == 0 ? null : mapper.readTree(content);
            return error != null && error.isObject() ? error : mapper.createObjectNode();
        } catch (IOException notJson) {
            return mapper.createObjectNode();
        }
    }

    private record Answer(SdkHttpResponse http, byte[] content) {
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SdkClientException.create("interrupted while waiting to retry SSM GetParameter", e);
        }
    }
}
