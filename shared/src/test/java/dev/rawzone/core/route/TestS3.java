package dev.rawzone.core.route;

import dev.rawzone.testkit.Emulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** An S3 client for the emulator, and small helpers for arranging objects. */
public final class TestS3 {
    private TestS3() {
    }

    public static S3Client client(Emulator emulator) {
        return S3Client.builder()
                .endpointOverride(emulator.endpoint())
                .forcePathStyle(true)
                .region(Region.of(Emulator.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(Emulator.ACCESS_KEY, Emulator.SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build();
    }

    public static void put(S3Client s3, String bucket, String key, String text) {
        s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromString(text));
    }
}
