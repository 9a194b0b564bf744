package io.sluice.benchmark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.nio.file.Path;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/** One of the streaming jobs the pipeline benchmark compares; each run starts it on a stream and a directory of its own. */
interface Contender
{
    String name();

    /**
     * Starts the contender's streaming query over {@code raw} (raw Kinesis-shaped rows, one input file per
     * micro-batch), writing everything under {@code directory}.
     */
    Started start(Dataset<Row> raw, Path directory);

    /**
     * @param verify checks, after the query has stopped, that the run wrote what the input asks for; throws
     *         {@link BenchmarkFailure} if not
     */
    record Started(StreamingQuery query, Consumer<PipelineInput> verify)
    {
        public Started
        {
            requireNonNull(query, "query is null");
            requireNonNull(verify, "verify is null");
        }
    }

    /** A run that must not count: the benchmark stops and exits non-zero. */
    final class BenchmarkFailure
            extends RuntimeException
    {
        BenchmarkFailure(String message)
        {
            super(message);
        }
    }
}
