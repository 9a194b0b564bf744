package io.sluice.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.assertions.Match;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitoringConstructTest
{

    private Synth dev;

    @BeforeAll
    void synth()
    {
        dev = Synth.dev();
    }

    @Test
    void alarmTopicIsEncryptedWithTheCmkAndTlsOnly()
    {
        String key = dev.resources("AWS::KMS::Key").keySet().iterator().next();
        dev.template().hasResourceProperties("AWS::SNS::Topic", Match.objectLike(Map.of(
                "TopicName", "sluice-dev-alarms",
                "KmsMasterKeyId", Map.of("Fn::GetAtt", List.of(key, "Arn")))));
        dev.template().hasResourceProperties("AWS::SNS::TopicPolicy", Match.objectLike(Map.of(
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))),
                        "Version", "2012-10-17"))));
    }

    @Test
    void iteratorAgeAlarm()
    {
        dev.template().hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "AlarmName", "sluice-dev-stream-iterator-age",
                "Namespace", "AWS/Kinesis",
                "MetricName", "GetRecords.IteratorAgeMilliseconds",
                "Statistic", "Maximum",
                "Threshold", 300000,
                "ComparisonOperator", "GreaterThanThreshold",
                "TreatMissingData", "notBreaching",
                "AlarmActions", List.of(Map.of("Ref", topicId())))));
    }

    @Test
    void jobFailureAlarmsCountEventBridgeMatches()
    {
        dev.template().hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "Name", "sluice-dev-emr-job-failed",
                "EventPattern", Map.of(
                        "source", List.of("aws.emr-serverless"),
                        "detail-type", List.of("EMR Serverless Job Run State Change"),
                        "detail", Map.of(
                                "applicationId", List.of(Map.of("Fn::GetAtt", List.of(emrId(), "ApplicationId"))),
                                "state", List.of("FAILED"))),
                "Targets", List.of(Match.objectLike(Map.of("Arn", Map.of("Ref", topicId())))))));
        dev.template().hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "Name", "sluice-dev-glue-job-failed",
                "EventPattern", Map.of(
                        "source", List.of("aws.glue"),
                        "detail-type", List.of("Glue Job State Change"),
                        "detail", Map.of(
                                "jobName", List.of("sluice-dev-backfill", "sluice-dev-maintain", "sluice-dev-marts",
                                        "sluice-dev-replay"),
                                "state", List.of("FAILED", "TIMEOUT", "ERROR"))))));
        for (String name : List.of("sluice-dev-emr-job-failures", "sluice-dev-glue-job-failures")) {
            // A labelled metric is written in the Metrics (MetricStat) form.
            dev.template().hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "AlarmName", name,
                    "Metrics", List.of(Match.objectLike(Map.of("MetricStat", Match.objectLike(Map.of(
                            "Metric", Match.objectLike(Map.of(
                                    "Namespace", "AWS/Events",
                                    "MetricName", "TriggeredRules",
                                    "Dimensions", List.of(Match.objectLike(Map.of("Name", "RuleName"))))),
                            "Stat", "Sum"))))),
                    "Threshold", 1,
                    "ComparisonOperator", "GreaterThanOrEqualToThreshold")));
        }
    }

    @Test
    void quarantineRateIsMetricMathOverTheJobsMetrics()
    {
        dev.template().hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "AlarmName", "sluice-dev-quarantine-rate",
                "Threshold", 1,
                "Metrics", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Expression", "IF(read > 0, 100 * quarantined / read, 0)")),
                        Match.objectLike(Map.of("Id", "quarantined", "MetricStat", Match.objectLike(Map.of(
                                "Metric", Match.objectLike(Map.of(
                                        "Namespace", "Sluice/dev",
                                        "MetricName", "QuarantinedRecords",
                                        "Dimensions", List.of(Map.of("Name", "StreamName",
                                                "Value", Map.of("Ref", streamId()))))),
                                "Stat", "Sum")))),
                        // Metric ids come out sorted: quarantined before read.
                        Match.objectLike(Map.of("Id", "read", "MetricStat", Match.objectLike(Map.of(
                                "Metric", Match.objectLike(Map.of("Namespace", "Sluice/dev", "MetricName", "RecordsRead")),
                                "Stat", "Sum")))))))));
    }

    @Test
    void everyAlarmNotifiesTheTopicAndThereIsADashboard()
    {
        assertThat(dev.resources("AWS::CloudWatch::Alarm")).hasSize(5);
        dev.template().allResourcesProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "AlarmActions", List.of(Map.of("Ref", topicId())),
                "OKActions", List.of(Map.of("Ref", topicId())))));
        dev.template().hasResourceProperties("AWS::CloudWatch::Dashboard", Match.objectLike(Map.of(
                "DashboardName", "sluice-dev")));
    }

    @Test
    void alarmEmailFromContextSubscribes()
    {
        Synth withEmail = Synth.of(Map.of("env", "dev", "alarmEmail", "oncall@example.com"));
        withEmail.template().hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "email",
                "Endpoint", "oncall@example.com",
                "TopicArn", Match.anyValue()));
        dev.template().resourceCountIs("AWS::SNS::Subscription", 0);
    }

    private String topicId()
    {
        return dev.resources("AWS::SNS::Topic").keySet().iterator().next();
    }

    private String emrId()
    {
        return dev.resources("AWS::EMRServerless::Application").keySet().iterator().next();
    }

    private String streamId()
    {
        return dev.resources("AWS::Kinesis::Stream").keySet().iterator().next();
    }
}
