package io.sluice.cli;



import io.sluice.config.ErrorKind;
import io.sluice.config.SluiceError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sluice} command: the entry point locally (bin/sluice) and on EMR Serverless (spark-submit's main class),
 * so the same arguments work in both places.
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = SluiceVersion.class,
        description = "Exactly-once streaming ingestion from Kinesis into governed Delta Lake tables.",
        subcommands = {StreamCommand.class, BackfillCommand.class, ReplayCommand.class, MaintainCommand.class, MartsCommand.class, SubmitCommand.class,
                ProduceCommand.class, SqlCommand.class, DemoCommand.class, KinesisMockCommand.class, ContractsCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:the work failed (see the message)", "2:bad command line or configuration (nothing was started)"})
public final class SluiceMain
        implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // Read by bin/sluice before the JVM starts (it picks the log level); declared here so every command accepts it.
    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Show Spark's, Hadoop's and Delta's warnings too (as SLUICE_DEBUG=1 does)")
    boolean verbose;

    public static void main(String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Sluice's error handling: one line per error, exit 2 for bad input, 1 for failures. */
    public static CommandLine commandLine()
    {
        CommandLine commandLine = new CommandLine(new SluiceMain());
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            Throwable cause = exception;
            if (cause instanceof SluiceError error && error.kind() == ErrorKind.USAGE) {
                command.getErr().println("sluice: " + cause.getMessage());
                return error.kind().exitCode();
            }
            command.getErr().println("sluice " + command.getCommandName() + ": " + rootMessage(cause));
            if (System.getenv("SLUICE_DEBUG") != null) {
                cause.printStackTrace(command.getErr());
            }
            else {
                command.getErr().println("(set SLUICE_DEBUG=1 for the stack trace)");
            }
            return ExitCodes.FAILED;
        });
        commandLine.setParameterExceptionHandler((exception, args) -> {
            exception.getCommandLine().getErr().println("sluice: " + exception.getMessage());
            exception.getCommandLine().getErr().println("Try '" + exception.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE;
        });
        return commandLine;
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The most useful message of a failure's cause chain: an error Sluice raised on purpose ({@link SluiceError}),
     * else the first message written for people ("Cannot ...", "Invalid ..."), else the outermost, so wrappers such as
     * StreamingQueryException do not hide the reason.
     */
    static String rootMessage(Throwable throwable)
    {
        for (Throwable current = throwable; current != null; current = current.getCause() == current ? null : current.getCause()) {
            if (current instanceof SluiceError && current.getMessage() != null) {
                return current.getMessage();
            }
        }
        for (Throwable current = throwable; current != null; current = current.getCause() == current ? null : current.getCause()) {
            String message = current.getMessage();
            if (message != null && (message.startsWith("Cannot ") || message.startsWith("Invalid "))) {
                return message;
            }
        }
        return throwable.getMessage() == null ? throwable.getClass().getSimpleName() : throwable.getMessage();
    }
}
