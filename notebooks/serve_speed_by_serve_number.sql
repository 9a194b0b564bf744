-- First against second serves: average and fastest speed, and how many were aces or faults.
SELECT serve_number, count(*) AS serves, round(avg(speed_kmh), 1) AS avg_kmh, max(speed_kmh) AS fastest_kmh,
       count_if(outcome = 'ace') AS aces, count_if(outcome IN ('fault', 'double_fault')) AS faults
FROM tennis_serves
GROUP BY serve_number
ORDER BY serve_number
