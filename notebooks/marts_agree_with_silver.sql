-- The marts hold every silver serve exactly once: both sides must be equal.
SELECT (SELECT sum(serves) FROM player_daily_serves) AS serves_in_mart,
       (SELECT count(*) FROM tennis_serves) AS serves_in_silver,
       (SELECT sum(serves) FROM match_summary) AS serves_in_match_summary
