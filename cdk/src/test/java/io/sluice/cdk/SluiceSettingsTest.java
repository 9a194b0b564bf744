package io.sluice.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

class SluiceSettingsTest
{

    @Test
    void presets()
    {
        SluiceSettings dev = SluiceSettings.dev().build();
        assertThat(dev.prefix()).isEqualTo("sluice-dev");
        assertThat(dev.databaseName()).isEqualTo("sluice_dev");
        assertThat(dev.retainData()).isFalse();
        assertThat(dev.importsVpc()).as("the stack builds its own VPC").isFalse();
        assertThat(dev.metricsNamespace()).isEqualTo("Sluice/dev");
        assertThat(dev.rawDatabaseName()).isEqualTo("sluice_dev_raw");
        assertThat(SluiceSettings.prod().build().retainData()).isTrue();
        assertThatThrownBy(() -> SluiceSettings.preset("staging")).hasMessageContaining("-c env=prod");
    }

    @Test
    void buildValidates()
    {
        assertThatThrownBy(() -> SluiceSettings.dev().emrMaxMemoryGb(1000).build()).hasMessageContaining("GB per vCPU");
        assertThatThrownBy(() -> SluiceSettings.dev().emrMaxVcpu(1).emrMaxMemoryGb(4).build()).hasMessageContaining("emrMaxVcpu");
        assertThatThrownBy(() -> SluiceSettings.dev().subnetIds(List.of("subnet-1")).build())
                .hasMessage("subnetIds, availabilityZones and routeTableIds need vpcId (without it the stack builds a VPC)");
        assertThatThrownBy(() -> SluiceSettings.dev().vpcId("vpc-1").subnetIds(List.of("subnet-1", "subnet-2"))
                .availabilityZones(List.of("eu-west-1a")).routeTableIds(List.of("rtb-1", "rtb-2")).build())
                .hasMessage("vpcId needs subnetIds, availabilityZones and routeTableIds, one per private subnet: "
                        + "2 subnets, 1 zones, 2 route tables");
        assertThatThrownBy(() -> SluiceSettings.dev().rawRetentionDays(0).build()).hasMessageContaining("rawRetentionDays");
        assertThatThrownBy(() -> SluiceSettings.dev().glueJarName("../x.jar").build()).hasMessageContaining("glueJarName");
        assertThatThrownBy(() -> SluiceSettings.dev().glueWorkerType("G.3X").build()).hasMessageContaining("glueWorkerType");
        assertThatThrownBy(() -> SluiceSettings.dev().glueWorkerCount(1).build()).hasMessageContaining("glueWorkerCount");
        assertThatThrownBy(() -> SluiceSettings.dev().streamRetentionHours(12).build()).hasMessageContaining("24");
        assertThatThrownBy(() -> SluiceSettings.dev().maintenanceSchedule("0 3 * * *").build()).hasMessageContaining("cron(");
        assertThatThrownBy(() -> SluiceSettings.dev().logRetentionDays(10).build()).hasMessageContaining("logRetentionDays");
        assertThatThrownBy(() -> SluiceSettings.dev().athenaBytesScannedCutoff(1000).build()).hasMessageContaining("10 MB");
        assertThatThrownBy(() -> SluiceSettings.dev().alarmEmail("nobody").build()).hasMessageContaining("alarmEmail");
        assertThatThrownBy(() -> SluiceSettings.dev().envName("Dev-1").build()).hasMessageContaining("envName");
    }

    @Test
    void contextOverridesThePreset()
    {
        App app = new App(AppProps.builder().context(Map.of(
                "env", "prod",
                "streamCapacity", "provisioned",
                "shardCount", "8",
                "vpcId", "vpc-a",
                "availabilityZones", "eu-west-1a,eu-west-1b",
                "subnetIds", "subnet-a, subnet-b",
                "routeTableIds", List.of("rtb-a", "rtb-b"),
                "rawRetentionDays", "365",
                "glueWorkerCount", 4)).build());
        SluiceSettings settings = new ContextSettings(app.getNode()).read();
        assertThat(settings.envName()).isEqualTo("prod");
        assertThat(settings.streamCapacity()).isEqualTo(SluiceSettings.StreamCapacity.PROVISIONED);
        assertThat(settings.shardCount()).isEqualTo(8);
        assertThat(settings.vpcId()).contains("vpc-a");
        assertThat(settings.subnetIds()).containsExactly("subnet-a", "subnet-b");
        assertThat(settings.routeTableIds()).containsExactly("rtb-a", "rtb-b");
        assertThat(settings.rawRetentionDays()).isEqualTo(365);
        assertThat(settings.glueWorkerCount()).contains(4);
        assertThat(settings.glueWorkerType()).as("prod leaves the type to glue-jobs.conf").isEmpty();
        assertThat(settings.emrMaxVcpu()).isEqualTo(64);
    }

    @Test
    void badContextValuesNameTheKey()
    {
        App app = new App(AppProps.builder().context(Map.of("shardCount", "many")).build());
        assertThatThrownBy(() -> new ContextSettings(app.getNode()).read()).hasMessageContaining("shardCount=many");
    }
}
