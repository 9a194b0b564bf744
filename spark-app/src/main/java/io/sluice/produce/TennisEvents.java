package io.sluice.produce;

/** The names the tennis feed uses; they match the demo contracts in contracts/. */
public final class TennisEvents
{
    public static final String SERVE = "tennis.serve";
    public static final String POINT = "tennis.point";
    public static final String MATCH = "tennis.match";

    public static final String SERVE_TYPE = "io.sluice.tennis.serve.measured";
    public static final String POINT_TYPE = "io.sluice.tennis.point.scored";
    public static final String MATCH_TYPE = "io.sluice.tennis.match.status_changed";

    public static final String RADAR_GUN = "urn:sluice:producer:radar-gun";
    public static final String COURTSIDE_SCORER = "urn:sluice:producer:courtside-scorer";
    public static final String UMPIRE_TABLET = "urn:sluice:producer:umpire-tablet";

    private TennisEvents() {}

    /** The CloudEvents {@code dataschema} that names a contract version. */
    public static String dataschema(String dataset, int version)
    {
        return "urn:sluice:contract:%s:%d".formatted(dataset, version);
    }
}
