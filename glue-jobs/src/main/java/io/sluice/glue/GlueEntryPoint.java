package io.sluice.glue;

import io.sluice.cli.ExitCodes;
import io.sluice.cli.SluiceMain;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the AWS Glue 6.0 jobs run (through cdk/glue/SluiceGlueLauncher.scala): translates the job run's arguments
 * ({@link GlueArguments}) and runs the {@code sluice} command they name in this JVM, on the SparkSession Glue's
 * spark-submit prepared. Backfill, replay and maintain live only in spark-app.
 *
 * <p>Glue marks a run failed when main throws, and {@code System.exit} would cut Glue's own shutdown short, so a
 * bad argument or a non-zero exit code of the command is thrown as {@link GlueJobFailedException}, whose one-line
 * message Glue shows as the run's error.
 */
public final class GlueEntryPoint
{
    private GlueEntryPoint() {}

    public static void main(String[] args)
    {
        List<String> commandLine;
        try {
            commandLine = GlueArguments.toSluiceCommandLine(List.of(args));
        }
        catch (IllegalArgumentException e) {
            throw new GlueJobFailedException(ExitCodes.USAGE, e.getMessage(), e);
        }
        System.out.println("Sluice Glue job: sluice " + String.join(" ", commandLine));
        run(commandLine);
    }

    /** Runs {@code sluice <commandLine>} in this JVM; returns when it exits 0 and throws otherwise. */
    static void run(List<String> commandLine)
    {
        requireNonNull(commandLine, "commandLine is null");
        FirstLineWriter errors = new FirstLineWriter(new PrintWriter(System.err, true));
        CommandLine sluice = SluiceMain.commandLine();
        sluice.setErr(new PrintWriter(errors, true));
        int exitCode = sluice.execute(commandLine.toArray(String[]::new));
        if (exitCode != ExitCodes.OK) {
            String command = String.join(" ", commandLine.subList(0, Math.min(1, commandLine.size())));
            throw new GlueJobFailedException(exitCode, "sluice %s exited with %d: %s".formatted(command, exitCode,
                    errors.firstLine().orElse("see the driver log")), null);
        }
    }

    /** Passes everything on to the driver log and keeps the first line: Sluice writes its one-line reason first. */
    private static final class FirstLineWriter
            extends Writer
    {
        private final Writer delegate;
        private final StringBuilder firstLine = new StringBuilder();
        private boolean firstLineComplete;

        FirstLineWriter(Writer delegate)
        {
            this.delegate = delegate;
        }

        @Override
        public void write(char[] buffer, int offset, int length)
                throws IOException
        {
            delegate.write(buffer, offset, length);
            for (int i = offset; i < offset + length && !firstLineComplete; i++) {
                if (buffer[i] == '\n' || buffer[i] == '\r') {
                    firstLineComplete = !firstLine.isEmpty();
                }
                else {
                    firstLine.append(buffer[i]);
                }
            }
        }

        @Override
        public void flush()
                throws IOException
        {
            delegate.flush();
        }

        @Override
        public void close()
                throws IOException
        {
            // System.err belongs to the JVM, not to this run.
            delegate.flush();
        }

        Optional<String> firstLine()
        {
            return firstLine.isEmpty() ? Optional.empty() : Optional.of(firstLine.toString());
        }
    }
}
