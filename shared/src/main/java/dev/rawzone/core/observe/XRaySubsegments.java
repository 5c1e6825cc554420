package dev.rawzone.core.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Every AWS SDK call as an X-Ray subsegment of the invocation's trace, sent to the X-Ray daemon that Lambda runs
 * beside a function with {@code Tracing: Active}, over UDP as the X-Ray SDK sends them. The X-Ray SDK's own SDK v2
 * instrumentor would bring 4.2 MB of jars into every function (its core needs the v1 AWS SDK's core and X-Ray
 * client, Apache HttpClient and Joda-Time), and its recorder's sampling state into a SnapStart snapshot.
 *
 * <p>Added to every client {@code AwsClients} builds, and called by {@code SsmParameters} for its own calls (a global {@code execution.interceptors} entry would be dropped
 * by the shade plugin's minimizer, which sees no reference to the class). It sends nothing, and logs nothing, without a daemon address ({@code AWS_XRAY_DAEMON_ADDRESS}) and a sampled trace
 * header: tests, the simulation and {@code ./ingest} have neither. It keeps nothing between calls (the header is
 * read per call, each datagram has its own socket), so a SnapStart snapshot holds none of it.
 */
public final class XRaySubsegments implements ExecutionInterceptor {
    private static final ExecutionAttribute<Double> STARTED = new ExecutionAttribute<>("rawzone.xray.started");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] HEADER = "{\"format\":\"json\",\"version\":1}\n".getBytes(StandardCharsets.UTF_8);

    private final Function<String, String> env;
    private final Supplier<Optional<String>> traceHeader;

    public XRaySubsegments() {
        this(System::getenv);
    }

    /**
     * The Java runtime gives each invocation's trace header as a system property. {@code _X_AMZN_TRACE_ID} is not read:
     * in the JVM's environment it is the start-up's, never the current invocation's.
     */
    XRaySubsegments(Function<String, String> env) {
        this(env, () -> Optional.ofNullable(System.getProperty("com.amazonaws.xray.traceHeader")));
    }

    XRaySubsegments(Function<String, String> env, Supplier<Optional<String>> traceHeader) {
        this.env = env;
        this.traceHeader = traceHeader;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, now());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        send(attributes, Optional.of(context.httpResponse()), Optional.empty());
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        send(attributes, context.httpResponse(), Optional.of(context.exception()));
    }

    /** A call made outside an SDK client (over its HTTP client, as {@code SsmParameters} does), as a subsegment. */
    public void sendCall(String service, String operation, Instant started, Instant ended,
                         Optional<SdkHttpResponse> response, Optional<Throwable> failure) {
        send(new Call(service, operation, null, seconds(started), seconds(ended)), response, failure);
    }

    private void send(ExecutionAttributes attributes, Optional<SdkHttpResponse> response, Optional<Throwable> failure) {
        Double started = attributes.getAttribute(STARTED);
        if (started == null) {
            return;
        }
        Region region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
        send(new Call(String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)),
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), region == null ? null : region.id(),
                started, now()), response, failure);
    }

    private void send(Call call, Optional<SdkHttpResponse> response, Optional<Throwable> failure) {
        Optional<InetSocketAddress> daemon = daemon(env.apply("AWS_XRAY_DAEMON_ADDRESS"));
        Map<String, String> trace = traceHeader.get().map(XRaySubsegments::fields).orElse(Map.of());
        if (daemon.isEmpty() || !"1".equals(trace.get("Sampled")) || !trace.containsKey("Root")
                || !trace.containsKey("Parent")) {
            return;
        }
        byte[] document = document(call, trace, response, failure);
        byte[] datagram = new byte[HEADER.length + document.length];
        System.arraycopy(HEADER, 0, datagram, 0, HEADER.length);
        System.arraycopy(document, 0, datagram, HEADER.length, document.length);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(datagram, datagram.length, daemon.get()));
        } catch (IOException | RuntimeException lost) {
            // a trace is best effort: a call is never failed, nor a log line written, for its subsegment
        }
    }

    /** A call's name, operation and region (null when not known) and its times in epoch seconds. */
    private record Call(String service, String operation, String region, double started, double ended) {
    }

    private static byte[] document(Call call, Map<String, String> trace, Optional<SdkHttpResponse> response,
                                   Optional<Throwable> failure) {
        ObjectNode segment = MAPPER.createObjectNode();
        segment.put("type", "subsegment");
        segment.put("id", HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
        segment.put("trace_id", trace.get("Root"));
        segment.put("parent_id", trace.get("Parent"));
        segment.put("name", call.service());
        segment.put("namespace", "aws");
        segment.put("start_time", call.started());
        segment.put("end_time", call.ended());
        ObjectNode aws = segment.putObject("aws");
        aws.put("operation", call.operation());
        if (call.region() != null) {
            aws.put("region", call.region());
        }
        response.ifPresent(http -> {
            segment.putObject("http").putObject("response").put("status", http.statusCode());
            http.firstMatchingHeader("x-amz-request-id").or(() -> http.firstMatchingHeader("x-amzn-RequestId"))
                    .ifPresent(id -> aws.put("request_id", id));
            if (http.statusCode() == 429) {
                segment.put("throttle", true);
            }
            if (http.statusCode() >= 400 && http.statusCode() < 500) {
                segment.put("error", true);
            } else if (http.statusCode() >= 500) {
                segment.put("fault", true);
            }
        });
        if (response.isEmpty() && failure.isPresent()) {
            segment.put("fault", true); // no response at all: the connection or the client failed
        }
        failure.ifPresent(e -> segment.putObject("cause").putArray("exceptions").addObject()
                .put("id", HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()))
                .put("type", e.getClass().getName()).put("message", String.valueOf(e.getMessage())));
        try {
            return MAPPER.writeValueAsBytes(segment);
        } catch (IOException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    /** {@code host:port}, or Lambda's {@code tcp:host:port udp:host:port}, of which the UDP one. */
    static Optional<InetSocketAddress> daemon(String address) {
        if (address == null || address.isBlank()) {
            return Optional.empty();
        }
        String udp = address.trim();
        for (String part : udp.split("\\s+")) {
            if (part.startsWith("udp:")) {
                udp = part.substring(4);
            }
        }
        int colon = udp.lastIndexOf(':');
        if (colon <= 0 || udp.contains(" ")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new InetSocketAddress(udp.substring(0, colon), Integer.parseInt(udp.substring(colon + 1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code Root=1-...;Parent=...;Sampled=1} as its fields. */
    static Map<String, String> fields(String header) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : header.split(";")) {
            int equals = field.indexOf('=');
            if (equals > 0) {
                fields.put(field.substring(0, equals).trim(), field.substring(equals + 1).trim());
            }
        }
        return fields;
    }

    private static double now() {
        return seconds(Instant.now());
    }

    private static double seconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }
}
