package io.sluice.produce;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;

import static java.util.Objects.requireNonNull;

/**
 * One tennis match as the three producers see it: the umpire tablet reports status changes, the radar gun measures
 * serves, the courtside scorer records points. Each call to {@link #next} advances the match by one event.
 * Scoring follows the rules closely enough for realistic data (games to 4 by 2, sets to 6 by 2 with a deciding
 * 13th game, best of five), not a referee's rulebook.
 */
final class MatchSimulator
{
    private static final String[] POINT_NAMES = {"0", "15", "30", "40", "AD"};
    private static final String[] TOURNAMENTS = {"Sluice Open", "Delta Masters", "Kinesis Cup"};
    private static final String[] SHOTS = {"forehand", "backhand", "volley", "smash", "lob", "drop"};

    private final String matchId;
    private final List<String> players;
    private final String tournament;
    private final String court;
    private final LocalDate scheduledStart;

    private Phase phase = Phase.WARMUP;
    private int server;
    private int setNumber = 1;
    private final int[] setsWon = new int[2];
    private final int[] games = new int[2];
    private final int[] points = new int[2];
    private int pointNumber = 1;
    private int serveNumber = 1;
    private String pendingOutcome;

    private enum Phase
    {
        WARMUP, START, SERVE, POINT, FINISHED
    }

    MatchSimulator(int matchNumber, Random random, Instant startTime)
    {
        this.matchId = "M%04d".formatted(matchNumber % 10_000);
        this.players = List.of("P%03d".formatted(random.nextInt(1000)), "P%03d".formatted(random.nextInt(1000)));
        this.tournament = TOURNAMENTS[random.nextInt(TOURNAMENTS.length)];
        this.court = "Court " + (1 + random.nextInt(16));
        this.scheduledStart = LocalDate.ofInstant(requireNonNull(startTime, "startTime is null"), ZoneOffset.UTC);
        this.server = random.nextInt(2);
    }

    String matchId()
    {
        return matchId;
    }

    boolean finished()
    {
        return phase == Phase.FINISHED;
    }

    EventDraft next(Random random, Instant time)
    {
        return switch (phase) {
            case WARMUP -> {
                phase = Phase.START;
                yield status("warmup", null);
            }
            case START -> {
                phase = Phase.SERVE;
                yield status("in_progress", null);
            }
            case SERVE -> serve(random, time);
            case POINT -> point(random);
            case FINISHED -> throw new IllegalStateException("Match " + matchId + " is finished");
        };
    }

    private EventDraft serve(Random random, Instant time)
    {
        double roll = random.nextDouble();
        String outcome;
        if (serveNumber == 1) {
            outcome = roll < 0.08 ? "ace" : roll < 0.68 ? "in" : roll < 0.98 ? "fault" : "let";
        }
        else {
            outcome = roll < 0.02 ? "ace" : roll < 0.90 ? "in" : "double_fault";
        }
        double speed = serveNumber == 1 ? 175 + random.nextGaussian() * 15 : 150 + random.nextGaussian() * 12;
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("match_id", matchId);
        data.put("player_id", players.get(server));
        data.put("set_number", setNumber);
        data.put("game_number", games[0] + games[1] + 1);
        data.put("serve_number", serveNumber);
        data.put("speed_kmh", Math.round(Math.max(60, Math.min(260, speed)) * 10) / 10.0);
        if (random.nextInt(4) != 0) {
            data.put("spin_rpm", 1500 + random.nextInt(3000));
        }
        data.put("outcome", outcome);
        data.put("measured_at", time.toString());
        int version = 1;
        if (random.nextBoolean()) {
            version = 2;
            data.put("court_side", (points[0] + points[1]) % 2 == 0 ? "deuce" : "ad");
        }
        switch (outcome) {
            case "fault" -> serveNumber = 2;
            case "let" -> { }
            default -> {
                pendingOutcome = outcome;
                phase = Phase.POINT;
            }
        }
        return new EventDraft(TennisEvents.SERVE, version, TennisEvents.SERVE_TYPE, TennisEvents.RADAR_GUN, matchId, data);
    }

    private EventDraft point(Random random)
    {
        int receiver = 1 - server;
        int winner;
        String endedBy;
        int rally;
        switch (pendingOutcome) {
            case "ace" -> {
                winner = server;
                endedBy = "ace";
                rally = 1;
            }
            case "double_fault" -> {
                winner = receiver;
                endedBy = "double_fault";
                rally = 0;
            }
            default -> {
                winner = random.nextDouble() < 0.62 ? server : receiver;
                double roll = random.nextDouble();
                endedBy = roll < 0.35 ? "winner" : roll < 0.6 ? "forced_error" : "unforced_error";
                rally = 2 + random.nextInt(18);
            }
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("match_id", matchId);
        data.put("set_number", setNumber);
        data.put("game_number", games[0] + games[1] + 1);
        data.put("point_number", pointNumber);
        data.put("server_id", players.get(server));
        data.put("winner_id", players.get(winner));
        ObjectNode score = data.putObject("score");
        score.put("server", scoreName(points[server], points[receiver]));
        score.put("receiver", scoreName(points[receiver], points[server]));
        data.put("rally_length", rally);
        if (rally > 0) {
            var shots = data.putArray("shots");
            shots.add("serve");
            for (int i = 1; i < Math.min(rally, 12); i++) {
                shots.add(SHOTS[random.nextInt(SHOTS.length)]);
            }
        }
        data.put("ended_by", endedBy);

        pointNumber++;
        serveNumber = 1;
        pendingOutcome = null;
        phase = Phase.SERVE;
        EventDraft event = new EventDraft(TennisEvents.POINT, 1, TennisEvents.POINT_TYPE, TennisEvents.COURTSIDE_SCORER, matchId, data);
        awardPoint(winner);
        return event;
    }

    /** After a point: games, sets and the match move on; a finished match reports it on its next status event. */
    private void awardPoint(int winner)
    {
        int loser = 1 - winner;
        points[winner]++;
        if (points[winner] >= 4 && points[winner] - points[loser] >= 2) {
            points[0] = 0;
            points[1] = 0;
            games[winner]++;
            server = 1 - server;
            boolean setWon = (games[winner] >= 6 && games[winner] - games[loser] >= 2) || games[winner] == 7;
            if (setWon) {
                setsWon[winner]++;
                games[0] = 0;
                games[1] = 0;
                if (setsWon[winner] == 3) {
                    phase = Phase.FINISHED;
                    return;
                }
                setNumber++;
            }
        }
        else if (points[winner] == 4 && points[loser] == 4) {
            // Deuce again after advantage: keep the counters small so the score stays within 0..AD.
            points[0] = 3;
            points[1] = 3;
        }
    }

    EventDraft completed()
    {
        return status("completed", null);
    }

    private EventDraft status(String status, String reason)
    {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("match_id", matchId);
        data.put("status", status);
        data.put("tournament", tournament);
        data.put("court", court);
        var playerArray = data.putArray("players");
        players.forEach(playerArray::add);
        data.put("scheduled_start", scheduledStart.toString());
        if (reason != null) {
            data.put("reason", reason);
        }
        return new EventDraft(TennisEvents.MATCH, 1, TennisEvents.MATCH_TYPE, TennisEvents.UMPIRE_TABLET, matchId, data);
    }

    private static String scoreName(int own, int other)
    {
        if (own >= 3 && other >= 3) {
            return own > other ? "AD" : "40";
        }
        return POINT_NAMES[Math.min(own, 3)];
    }
}
