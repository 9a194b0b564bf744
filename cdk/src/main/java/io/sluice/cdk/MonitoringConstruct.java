package io.sluice.cdk;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.interfaces.events.IRuleRef;
import software.amazon.awscdk.services.events.IRuleTarget;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetConfig;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.glue.CfnJob;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * Alarms, the SNS topic they notify (encrypted with the CMK, TLS-only) and a dashboard.
 *
 * <ul>
 *   <li>Stream lag: the oldest unread record's age. In an always-on environment a missing datapoint means
 *       nobody is calling GetRecords, i.e. the streaming job is down, so it counts as breaching there.</li>
 *   <li>Job failures: EMR Serverless job runs of this application and runs of this stack's Glue jobs that end
 *       FAILED (or TIMEOUT) are matched by EventBridge rules, sent to the topic, and counted by an alarm on the
 *       rules' TriggeredRules metric. Events carry the application id and job names whatever metric
 *       dimensions a release publishes.</li>
 *   <li>Quarantine rate: {@code 100 * QuarantinedRecords / RecordsRead} from the job's own metrics in the
 *       environment's namespace ({@link SluiceSettings#metricsNamespace()}, so one environment's jobs can neither
 *       raise nor hide another's alarm), dimension {@value #STREAM_DIMENSION}.</li>
 *   <li>Delete volume: S3 DeleteRequests on the lake per hour above a threshold, so a bad VACUUM, a retention
 *       set too short or a person deleting a table is seen while old versions still exist to restore from.</li>
 * </ul>
 *
 * <p>EventBridge may publish to the topic only for this deployment's two rules, and use the key only for them.
 */
public final class MonitoringConstruct extends Construct
{

    /** The dimension the streaming job puts on RecordsRead and QuarantinedRecords (the stream's name). */
    public static final String STREAM_DIMENSION = io.sluice.metrics.BatchMetrics.STREAM_DIMENSION;
    private static final Duration PERIOD = Duration.minutes(5);

    private final Topic topic;
    private final List<Alarm> alarms = new ArrayList<>();
    private final Dashboard dashboard;

    public MonitoringConstruct(Construct scope, String id, SluiceSettings settings, IKey key, Stream stream,
                               String emrApplicationId, Collection<CfnJob> glueJobs, String athenaWorkGroup,
                               IBucket lake)
                               {
        super(scope, id);
        requireNonNull(lake, "lake");
        requireNonNull(settings, "settings");
        requireNonNull(key, "key");
        requireNonNull(stream, "stream");
        requireNonNull(emrApplicationId, "emrApplicationId");
        requireNonNull(glueJobs, "glueJobs");
        requireNonNull(athenaWorkGroup, "athenaWorkGroup");

        this.topic = Topic.Builder.create(this, "AlarmTopic")
                .topicName(settings.prefix() + "-alarms")
                .displayName("Sluice " + settings.envName() + " alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        settings.alarmEmail().ifPresent(email -> topic.addSubscription(new EmailSubscription(email)));
        SnsAction notify = new SnsAction(topic);

        // Stream lag.
        Metric iteratorAge = stream.metricGetRecordsIteratorAgeMilliseconds(MetricOptions.builder()
                .statistic("Maximum").period(PERIOD).build());
        alarms.add(Alarm.Builder.create(this, "IteratorAgeAlarm")
                .alarmName(settings.prefix() + "-stream-iterator-age")
                .alarmDescription("The streaming job is more than " + settings.iteratorAgeAlarmMillis() / 1000
                        + " s behind the tip of " + settings.prefix() + "-events (or, in an always-on environment, "
                        + "not reading at all).")
                .metric(iteratorAge)
                .threshold(settings.iteratorAgeAlarmMillis())
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(3)
                .datapointsToAlarm(3)
                .treatMissingData(settings.retainData() ? TreatMissingData.BREACHING : TreatMissingData.NOT_BREACHING)
                .build());

        // Job failures, through EventBridge.
        Rule emrFailures = Rule.Builder.create(this, "EmrJobFailedRule")
                .ruleName(ruleNames(settings).get(0))
                .description("EMR Serverless job runs of " + settings.prefix() + " that failed")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.emr-serverless"))
                        .detailType(List.of("EMR Serverless Job Run State Change"))
                        .detail(new TreeMap<>(Map.of("applicationId", List.of(emrApplicationId), "state", List.of("FAILED"))))
                        .build())
                .targets(List.of(new TopicTarget(topic)))
                .build();
        Rule glueFailures = Rule.Builder.create(this, "GlueJobFailedRule")
                .ruleName(ruleNames(settings).get(1))
                .description("Glue job runs of " + settings.prefix() + " that failed or timed out")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.glue"))
                        .detailType(List.of("Glue Job State Change"))
                        .detail(new TreeMap<>(Map.of(
                                "jobName", glueJobs.stream().map(CfnJob::getName).sorted().toList(),
                                "state", List.of("FAILED", "TIMEOUT", "ERROR"))))
                        .build())
                .targets(List.of(new TopicTarget(topic)))
                .build();
        // What aws-events-targets' SnsTopic would grant, but only to these two rules of this account.
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("PublishFromThisStacksRules")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("events.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(new TreeMap<>(Map.of(
                        "ArnEquals", Map.of("aws:SourceArn", List.of(emrFailures.getRuleArn(), glueFailures.getRuleArn())),
                        "StringEquals", Map.of("aws:SourceAccount", Stack.of(this).getAccount()))))
                .build());
        Metric emrFailed = triggered(emrFailures, "EMR job runs failed");
        Metric glueFailed = triggered(glueFailures, "Glue job runs failed");
        alarms.add(Alarm.Builder.create(this, "EmrJobFailuresAlarm")
                .alarmName(settings.prefix() + "-emr-job-failures")
                .alarmDescription("An EMR Serverless job run of " + settings.prefix() + " failed.")
                .metric(emrFailed)
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
        alarms.add(Alarm.Builder.create(this, "GlueJobFailuresAlarm")
                .alarmName(settings.prefix() + "-glue-job-failures")
                .alarmDescription("A Glue job run (backfill, replay, maintain) of " + settings.prefix() + " failed.")
                .metric(glueFailed)
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());

        // Quarantine rate.
        Map<String, String> streamDimension = Map.of(STREAM_DIMENSION, stream.getStreamName());
        String namespace = settings.metricsNamespace();
        Metric recordsRead = sluiceMetric(namespace, io.sluice.metrics.BatchMetrics.RECORDS_READ, streamDimension);
        Metric quarantined = sluiceMetric(namespace, io.sluice.metrics.BatchMetrics.QUARANTINED_RECORDS, streamDimension);
        MathExpression quarantineRate = MathExpression.Builder.create()
                .expression("IF(read > 0, 100 * quarantined / read, 0)")
                // Map.of iterates in a per-JVM random order; a sorted map keeps the template the same every synth.
                .usingMetrics(new TreeMap<>(Map.of("read", recordsRead, "quarantined", quarantined)))
                .label("Quarantined %")
                .period(PERIOD)
                .build();
        alarms.add(Alarm.Builder.create(this, "QuarantineRateAlarm")
                .alarmName(settings.prefix() + "-quarantine-rate")
                .alarmDescription("More than " + settings.quarantineAlarmPercent() + "% of records read were "
                        + "quarantined (failed their contract) for 15 minutes.")
                .metric(quarantineRate)
                .threshold(settings.quarantineAlarmPercent())
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(3)
                .datapointsToAlarm(3)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());

        // Delete volume on the lake.
        Metric deletes = Metric.Builder.create()
                .namespace("AWS/S3")
                .metricName("DeleteRequests")
                .dimensionsMap(new TreeMap<>(Map.of("BucketName", lake.getBucketName(),
                        "FilterId", StorageConstruct.REQUEST_METRICS_ID)))
                .statistic("Sum")
                .period(Duration.hours(1))
                .build();
        alarms.add(Alarm.Builder.create(this, "LakeDeletesAlarm")
                .alarmName(settings.prefix() + "-lake-deletes")
                .alarmDescription("More than " + settings.deleteAlarmRequestsPerHour() + " delete requests in an hour "
                        + "on the lake bucket: check what deleted (CloudTrail, S3 access logs) and restore from object "
                        + "versions before they expire (docs/deploy.md, Restoring a table).")
                .metric(deletes)
                .threshold(settings.deleteAlarmRequestsPerHour())
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());

        for (Alarm alarm : alarms) {
            alarm.addAlarmAction(notify);
            alarm.addOkAction(notify);
        }

        this.dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(settings.prefix())
                .build();
        dashboard.addWidgets(TextWidget.Builder.create()
                .markdown("# Sluice " + settings.envName() + "\nStream `" + settings.prefix() + "-events`, EMR "
                        + "Serverless application `" + settings.prefix() + "`, Athena workgroup `" + settings.prefix()
                        + "`. Alarms notify SNS topic `" + settings.prefix() + "-alarms`.")
                .width(24).height(2)
                .build());
        dashboard.addWidgets(
                graph("Stream: records in / bytes in", List.of(
                        stream.metricIncomingRecords(sum()), stream.metricIncomingBytes(sum()))),
                graph("Stream: iterator age (ms)", List.of(iteratorAge)),
                graph("Stream: throttled reads / writes", List.of(
                        stream.metricReadProvisionedThroughputExceeded(sum()),
                        stream.metricWriteProvisionedThroughputExceeded(sum()))));
        dashboard.addWidgets(
                graph("Job: records read / quarantined", List.of(recordsRead, quarantined)),
                graph("Job: quarantine rate (%)", List.of(quarantineRate)),
                graph("Job failures (EMR, Glue)", List.of(emrFailed, glueFailed)),
                graph("Lake: delete requests per hour", List.of(deletes)));
        dashboard.addWidgets(
                graph("Athena: bytes scanned", List.of(Metric.Builder.create()
                        .namespace("AWS/Athena").metricName("ProcessedBytes")
                        .dimensionsMap(Map.of("WorkGroup", athenaWorkGroup))
                        .statistic("Sum").period(Duration.hours(1)).build())));
    }

    private static MetricOptions sum()
    {
        return MetricOptions.builder().statistic("Sum").period(PERIOD).build();
    }

    /** The EventBridge rules' names, known before they exist so the key policy can name them without a cycle. */
    static List<String> ruleNames(SluiceSettings settings)
    {
        return List.of(settings.prefix() + "-emr-job-failed", settings.prefix() + "-glue-job-failed");
    }

    /** Sends a rule's events to the topic without granting anything (the topic policy above does, conditioned). */
    private static final class TopicTarget implements IRuleTarget
    {
        private final Topic topic;

        TopicTarget(Topic topic)
        {
            this.topic = topic;
        }

        @Override
        public RuleTargetConfig bind(IRuleRef rule, String id)
        {
            return RuleTargetConfig.builder().arn(topic.getTopicArn()).build();
        }

        @Override
        public RuleTargetConfig bind(IRuleRef rule)
        {
            return bind(rule, null);
        }
    }

    private static Metric sluiceMetric(String namespace, String name, Map<String, String> dimensions)
    {
        return Metric.Builder.create()
                .namespace(namespace)
                .metricName(name)
                .dimensionsMap(dimensions)
                .statistic("Sum")
                .period(PERIOD)
                .build();
    }

    private static Metric triggered(Rule rule, String label)
    {
        return Metric.Builder.create()
                .namespace("AWS/Events")
                .metricName("TriggeredRules")
                .dimensionsMap(Map.of("RuleName", rule.getRuleName()))
                .statistic("Sum")
                .period(PERIOD)
                .label(label)
                .build();
    }

    private static GraphWidget graph(String title, List<? extends IMetric> metrics)
    {
        return GraphWidget.Builder.create().title(title).left(List.copyOf(metrics)).width(8).height(6).build();
    }

    public Topic topic()
    {
        return topic;
    }

    public List<Alarm> alarms()
    {
        return List.copyOf(alarms);
    }

    public Dashboard dashboard()
    {
        return dashboard;
    }
}
