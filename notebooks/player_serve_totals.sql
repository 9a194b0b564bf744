-- Per player over all days, from the gold mart player_daily_serves.
SELECT player_id, sum(serves) AS serves, sum(aces) AS aces, sum(double_faults) AS double_faults, max(fastest_kmh) AS fastest_kmh
FROM player_daily_serves
GROUP BY player_id
ORDER BY aces DESC, player_id
