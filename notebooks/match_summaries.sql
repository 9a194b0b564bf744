-- One row per match from the gold mart match_summary (built by `sluice marts`).
SELECT match_id, tournament, court, status, points, longest_rally, serves, aces, double_faults, fastest_serve_kmh
FROM match_summary
ORDER BY match_id
