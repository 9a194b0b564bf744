package io.sluice.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.assertions.Match;

/** dev and prod differ in size, retention and what survives a stack deletion. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnvironmentTest
{

    // Every resource that holds data or keeps it readable.
    private static final List<String> DATA_TYPES = List.of("AWS::S3::Bucket", "AWS::KMS::Key", "AWS::Kinesis::Stream",
            "AWS::Logs::LogGroup");

    private Synth dev;
    private Synth prod;

    @BeforeAll
    void synth()
    {
        dev = Synth.dev();
        prod = Synth.prod();
    }

    @Test
    void prodRetainsDataAndKeys()
    {
        for (String type : DATA_TYPES) {
            assertThat(prod.resources(type)).as(type).isNotEmpty();
            assertThat(prod.resources(type).values()).as(type).allSatisfy(r -> {
                assertThat(r).containsEntry("DeletionPolicy", "Retain");
                assertThat(r).containsEntry("UpdateReplacePolicy", "Retain");
            });
        }
        assertThat(prod.stack().getTerminationProtection()).isTrue();
    }

    @Test
    void devCanBeDestroyed()
    {
        for (String type : DATA_TYPES) {
            assertThat(dev.resources(type).values()).as(type)
                    .allSatisfy(r -> assertThat(r).containsEntry("DeletionPolicy", "Delete"));
        }
        assertThat(dev.stack().getTerminationProtection()).isFalse();
        dev.template().hasResourceProperties("AWS::Athena::WorkGroup", Match.objectLike(Map.of("RecursiveDeleteOption", true)));
        prod.template().hasResourceProperties("AWS::Athena::WorkGroup", Match.objectLike(Map.of("RecursiveDeleteOption", false)));
    }

    @Test
    void prodIsLargerAndKeepsMoreHistory()
    {
        prod.template().hasResourceProperties("AWS::Kinesis::Stream", Match.objectLike(Map.of(
                "Name", "sluice-prod-events", "RetentionPeriodHours", 168)));
        prod.template().hasResourceProperties("AWS::EMRServerless::Application", Match.objectLike(Map.of(
                "Name", "sluice-prod",
                "MaximumCapacity", Map.of("Cpu", "64 vCPU", "Memory", "256 GB", "Disk", "1000 GB"))));
        // dev caps every Glue job at 2 G.1X workers; prod sizes each as glue-jobs.conf says (backfill the largest).
        prod.template().hasResourceProperties("AWS::Glue::Job", Match.objectLike(Map.of(
                "Name", "sluice-prod-backfill", "WorkerType", "G.2X", "NumberOfWorkers", 10)));
        prod.template().hasResourceProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of("RetentionInDays", 365)));
        prod.template().hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("PendingWindowInDays", 30)));
    }

    @Test
    void prodTreatsASilentStreamAsAnOutage()
    {
        prod.template().hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "AlarmName", "sluice-prod-stream-iterator-age",
                "TreatMissingData", "breaching")));
    }

    @Test
    void keyRotatesInBothEnvironments()
    {
        for (Synth synth : List.of(dev, prod)) {
            synth.template().resourceCountIs("AWS::KMS::Key", 1);
            synth.template().hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of(
                    "EnableKeyRotation", true,
                    "RotationPeriodInDays", 365)));
        }
    }

    @Test
    void suppressionsAreNeverStackWide()
    {
        for (Synth synth : List.of(dev, prod)) {
            Map<String, Object> template = Policies.map(synth.template().toJSON());
            assertThat(Policies.map(template.get("Metadata"))).doesNotContainKey("cdk_nag");
            // And every suppression that exists says why.
            for (Map<String, Object> resource : Policies.map(template.get("Resources")).values().stream()
                    .map(Policies::map).toList()) {
                Map<String, Object> nag = Policies.map(Policies.map(resource.get("Metadata")).get("cdk_nag"));
                for (Object rule : Policies.list(nag.get("rules_to_suppress"))) {
                    assertThat(String.valueOf(Policies.map(rule).get("reason"))).hasSizeGreaterThan(40);
                }
            }
        }
    }
}
