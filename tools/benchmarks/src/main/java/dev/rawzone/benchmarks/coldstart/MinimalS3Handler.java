package dev.rawzone.benchmarks.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The cold start baseline: a handler that builds one S3 client at init and makes one call per event, with the same
 * SDK and HTTP client the functions use. Region and credentials from the SDK's default chains, as on Lambda.
 */
public final class MinimalS3Handler implements RequestStreamHandler {
    private final S3Client s3 = S3Client.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .endpointOverride(URI.create(System.getenv("AWS_ENDPOINT_URL")))
            .forcePathStyle(true)
            .build();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        int buckets = s3.listBuckets().buckets().size();
        output.write(("{\"buckets\":" + buckets + "}").getBytes(StandardCharsets.UTF_8));
    }
}
