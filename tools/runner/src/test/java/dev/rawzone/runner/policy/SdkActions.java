package dev.rawzone.runner.policy;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The IAM actions an AWS SDK v2 client method needs. By default the action is the service's IAM prefix and the
 * method's name capitalised ({@code dynamoDb.putItem} -> {@code dynamodb:PutItem}); a paginator needs what its
 * operation needs. Where IAM names it otherwise the table below says so (S3 most of all: HeadObject is authorised
 * as s3:GetObject, ListObjectsV2 as s3:ListBucket, every step of a multipart upload as s3:PutObject).
 */
final class SdkActions {
    /** SDK package -> IAM service prefix, where they differ. */
    private static final Map<String, String> PREFIXES = Map.of("sfn", "states");
    private static final Map<String, List<String>> S3 = Map.ofEntries(
            Map.entry("headObject", List.of("s3:GetObject")),
            Map.entry("listObjectsV2", List.of("s3:ListBucket")),
            Map.entry("listObjects", List.of("s3:ListBucket")),
            Map.entry("listObjectVersions", List.of("s3:ListBucketVersions")),
            Map.entry("copyObject", List.of("s3:GetObject", "s3:PutObject")),
            Map.entry("createMultipartUpload", List.of("s3:PutObject")),
            Map.entry("uploadPart", List.of("s3:PutObject")),
            Map.entry("uploadPartCopy", List.of("s3:GetObject", "s3:PutObject")),
            Map.entry("completeMultipartUpload", List.of("s3:PutObject")),
            Map.entry("listParts", List.of("s3:ListMultipartUploadParts")),
            Map.entry("getBucketVersioning", List.of("s3:GetBucketVersioning")));
    /**
     * Request builder methods that change the action: reading a named version is s3:GetObjectVersion (a HEAD too),
     * copying one is s3:GetObjectVersion on the source.
     */
    private static final Map<String, String> VERSIONED = Map.of(
            "GetObjectRequest$Builder.versionId", "s3:GetObjectVersion",
            "HeadObjectRequest$Builder.versionId", "s3:GetObjectVersion",
            "CopyObjectRequest$Builder.sourceVersionId", "s3:GetObjectVersion",
            "UploadPartCopyRequest$Builder.sourceVersionId", "s3:GetObjectVersion");
    /** Client methods that are not AWS operations. */
    private static final Set<String> PLUMBING = Set.of("close", "serviceName", "serviceClientConfiguration",
            "utilities", "waiter", "builder", "create");

    private SdkActions() {
    }

    static boolean isClientPlumbing(String method) {
        return PLUMBING.contains(method);
    }

    /** The actions of a client method ({@code service} is the SDK package: s3, dynamodb, sqs...). */
    static List<String> of(String service, String method) {
        String operation = method.replaceAll("(Paginator|AsBytes)$", "");
        if (service.equals("s3") && S3.containsKey(operation)) {
            return S3.get(operation);
        }
        return List.of(PREFIXES.getOrDefault(service, service) + ":" + Character.toUpperCase(operation.charAt(0))
                + operation.substring(1));
    }

    /** The action a request builder method adds ({@code GetObjectRequest$Builder.versionId}), if it is one that does. */
    static List<String> ofRequestSetting(String builderMethod) {
        return VERSIONED.containsKey(builderMethod) ? List.of(VERSIONED.get(builderMethod)) : List.of();
    }

    /**
     * What S3 asks of KMS, with the caller's permissions, for an object action on an SSE-KMS bucket: a data key
     * to write, a decrypt to read.
     */
    static List<String> kmsFor(String s3Action) {
        return switch (s3Action) {
            case "s3:PutObject" -> List.of("kms:GenerateDataKey");
            case "s3:GetObject", "s3:GetObjectVersion" -> List.of("kms:Decrypt");
            default -> List.of();
        };
    }
}
