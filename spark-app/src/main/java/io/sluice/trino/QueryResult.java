package io.sluice.trino;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** The rows of one query, as Java values (JDBC's getObject: Long, Double, BigDecimal, String, java.sql.Date, ...). */
public record QueryResult(List<String> columns, List<List<Object>> rows)
{
    public QueryResult
    {
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        // Rows may hold SQL NULLs, which List.copyOf refuses.
        List<List<Object>> copy = new ArrayList<>();
        for (List<Object> row : requireNonNull(rows, "rows is null")) {
            copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = Collections.unmodifiableList(copy);
    }

    /** A plain-text table like Spark's {@code show()}, at most {@code maxRows} rows. */
    public String format(int maxRows)
    {
        List<List<String>> cells = new ArrayList<>();
        cells.add(columns);
        rows.stream().limit(maxRows).forEach(row -> cells.add(row.stream().map(value -> value == null ? "NULL" : String.valueOf(value)).toList()));
        int[] widths = new int[columns.size()];
        for (List<String> line : cells) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder separator = new StringBuilder("+");
        for (int width : widths) {
            separator.append("-".repeat(width)).append('+');
        }
        StringBuilder text = new StringBuilder(separator).append('\n');
        for (int index = 0; index < cells.size(); index++) {
            text.append('|');
            List<String> line = cells.get(index);
            for (int i = 0; i < line.size(); i++) {
                text.append(" ".repeat(widths[i] - line.get(i).length())).append(line.get(i)).append('|');
            }
            text.append('\n');
            if (index == 0) {
                text.append(separator).append('\n');
            }
        }
        text.append(separator).append('\n');
        if (rows.size() > maxRows) {
            text.append("only showing top ").append(maxRows).append(" rows\n");
        }
        return text.toString();
    }
}
