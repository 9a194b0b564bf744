package io.sluice.cdk;

import static java.util.Objects.requireNonNull;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.constructs.Construct;

/** One deployment of Sluice: wires the constructs together and publishes what job submission needs. */
public final class SluiceStack extends Stack {

    private final EncryptionConstruct encryption;
    private final StorageConstruct storage;
    private final StreamConstruct stream;

    public SluiceStack(Construct scope, String id, StackProps props, SluiceSettings settings) {
        super(scope, id, props);
        requireNonNull(settings, "settings");
        Tags.of(this).add("project", "sluice");
        Tags.of(this).add("environment", settings.envName());

        this.encryption = new EncryptionConstruct(this, "Encryption", settings);
        this.storage = new StorageConstruct(this, "Storage", settings, encryption.key());
        this.stream = new StreamConstruct(this, "Stream", settings, encryption.key());

        output("KeyArn", encryption.key().getKeyArn(), "KMS key for the stream, buckets, logs and results");
        output("LakeBucketName", storage.lake().getBucketName(), "Delta tables (silver/, bronze/, quarantine/) and checkpoints/");
        output("ArtifactsBucketName", storage.artifacts().getBucketName(), "Upload the jar to " + StorageConstruct.APPLICATION_JAR);
        output("LogsBucketName", storage.logs().getBucketName(), "S3 server access logs");
        output("StreamName", stream.stream().getStreamName(), "Kinesis stream the CloudEvents are put on");
        output("StreamArn", stream.stream().getStreamArn(), "Kinesis stream ARN");
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    public EncryptionConstruct encryption() {
        return encryption;
    }

    public StorageConstruct storage() {
        return storage;
    }

    public StreamConstruct stream() {
        return stream;
    }
}
