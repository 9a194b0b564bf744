-- Fastest serves per player: the top 10 by fastest serve, with serve and ace counts.
SELECT player_id, max(speed_kmh) AS fastest_kmh, count(*) AS serves, count_if(outcome = 'ace') AS aces
FROM tennis_serves
GROUP BY player_id
ORDER BY fastest_kmh DESC, player_id
LIMIT 10
