package io.sluice.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** cdk.json is what makes `npx cdk synth` work offline from cdk/: guard the parts that matter. */
class CdkJsonTest
{

    @Test
    void appRunsThisModuleInAReactorBuildWithLookupsOff() throws Exception
    {
        JsonNode cdkJson = new ObjectMapper().readTree(Path.of("cdk.json").toFile());
        assertThat(cdkJson.path("app").asText())
                .startsWith("mvn ")
                .contains("-f ../pom.xml -pl cdk -am")
                .contains("-P cdk-synth")
                .contains("-Dexec.skip=true");
        // A lookup would need AWS credentials and network; with this off, one fails the synth instead.
        assertThat(cdkJson.path("lookups").asBoolean(true)).isFalse();
        assertThat(cdkJson.path("context").path("env").asText()).isEqualTo("dev");
    }
}
