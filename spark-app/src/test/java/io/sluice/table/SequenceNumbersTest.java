package io.sluice.table;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

final class SequenceNumbersTest
{
    @Test
    void comparesPlainSequenceNumbersAsNumbers()
    {
        assertThat(SequenceNumbers.compare("9", "10")).isNegative();
        assertThat(SequenceNumbers.compare("100", "99")).isPositive();
        assertThat(SequenceNumbers.compare("49590338271490256608559692538361571095921575989136588898",
                "49590338271490256608559692538361571095921575989136588898")).isZero();
        assertThat(SequenceNumbers.compare("49590338271490256608559692538361571095921575989136588898",
                "49590338271490256608559692538361571095921575989136588899")).isNegative();
    }

    @Test
    void ordersUserRecordsByTheirAggregateThenTheirIndex()
    {
        List<String> sequences = new ArrayList<>(List.of("500:9", "499:12", "500:10", "1000:0", "499:2", "500", "99"));
        sequences.sort(SequenceNumbers::compare);

        // A sequence number without an index (a record sent unaggregated) sorts before any user record of the same.
        assertThat(sequences).containsExactly("99", "499:2", "499:12", "500", "500:9", "500:10", "1000:0");
        assertThat(SequenceNumbers.compare("500:10", "500:10")).isZero();
    }
}
