package io.sluice.cli;

import io.sluice.lake.Lake;
import io.sluice.trino.AthenaCatalog;
import io.sluice.trino.QueryResult;
import io.sluice.trino.TrinoSession;

import java.io.PrintWriter;

/**
 * The end of {@code sluice demo --trino}: the fastest serves per player as Athena would answer them, computed by a local
 * Trino over the demo's lake. When Trino cannot run, it says why and leaves the demo's verdict to the lake's counts.
 */
final class AthenaAnswer
{
    static final String QUERY = """
            SELECT player_id, max(speed_kmh) AS fastest_kmh, count(*) AS serves, count_if(outcome = 'ace') AS aces
            FROM tennis_serves GROUP BY player_id ORDER BY fastest_kmh DESC, player_id LIMIT 5""";

    private AthenaAnswer() {}

    static void print(Lake lake, PrintWriter out)
    {
        out.println();
        out.println("Fastest serves per player, computed by Trino (Athena engine v3's base) over the lake, as awsdatacatalog." + AthenaCatalog.DEFAULT_DATABASE + ":");
        out.flush();
        long started = System.nanoTime();
        try (TrinoSession trino = TrinoSession.open(SluiceHome.resolve(), lake, AthenaCatalog.defaults())) {
            QueryResult result = trino.query(QUERY);
            out.print(result.format(5));
            out.printf("(Trino %s: started, registered %d tables and answered in %.1f s)%n", io.sluice.trino.TrinoInstallation.VERSION,
                    trino.tables().size(), (System.nanoTime() - started) / 1e9);
        }
        catch (RuntimeException e) {
            out.println("Trino could not answer, so this demo ends without the Athena-style result: " + SluiceMain.rootMessage(e));
        }
        out.flush();
    }
}
