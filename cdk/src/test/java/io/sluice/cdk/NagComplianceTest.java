package io.sluice.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** The AwsSolutions pack finds nothing unsuppressed, in either environment. */
class NagComplianceTest
{

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void noUnsuppressedAwsSolutionsErrorsOrWarnings(String env)
    {
        // Data messages carry the rule id and why; they are what a failing build should show.
        Synth synth = Synth.of(Map.of("env", env));
        assertThat(synth.annotations().findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                .extracting(NagComplianceTest::describe)
                .isEmpty();
        assertThat(synth.annotations().findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                .extracting(NagComplianceTest::describe)
                .isEmpty();
    }

    // Annotations.find* still hands out SynthesisMessage, deprecated in favour of nothing yet.
    @SuppressWarnings("deprecation")
    static String describe(SynthesisMessage message)
    {
        return message.getId() + " " + message.getEntry().getData();
    }
}
