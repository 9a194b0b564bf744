package io.sluice.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.table.TableSpec;
import io.sluice.lake.Lake;
import io.sluice.trino.LakeCatalog;
import io.sluice.trino.QueryResult;
import io.sluice.trino.TrinoSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Executes the notebooks the way CI can without a Python kernel: every {@code %%sql} cell on Spark (EMR Studio runs
 * {@code %%sql} as Spark SQL), the Athena saved query a cell names in {@code metadata.sluice.athena} on Trino with the
 * results compared, every other {@code .sql} file on Trino alone, and each chart a cell describes in
 * {@code metadata.sluice.chart} rendered as SVG from the named result. The Python in chart cells is for people in
 * Jupyter or EMR Studio; it is not run here. Writes executed copies (.ipynb with outputs, .html, .svg) to {@code output}.
 */
final class NotebookRunner
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ROWS = 50;

    private final SparkSession spark;
    private final Lake lake;
    private final TrinoSession trino;
    private final Path notebooks;
    private final Path output;

    NotebookRunner(SparkSession spark, Lake lake, TrinoSession trino, Path notebooks, Path output)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.lake = requireNonNull(lake, "lake is null");
        this.trino = requireNonNull(trino, "trino is null");
        this.notebooks = requireNonNull(notebooks, "notebooks is null");
        this.output = requireNonNull(output, "output is null");
    }

    record Report(List<String> notebooks, List<String> mismatches, Set<String> athenaQueryFiles, Set<String> athenaQueriesRun, int comparisons, int charts)
    {
        String summaryLine()
        {
            return "%d notebooks, %d Athena queries on Trino, %d compared with Spark, %d mismatches, %d charts".formatted(
                    notebooks.size(), athenaQueriesRun.size(), comparisons, mismatches.size(), charts);
        }
    }

    Report runAll()
            throws IOException
    {
        Files.createDirectories(output);
        for (TableSpec table : LakeCatalog.tables(lake)) {
            spark.read().format("delta").load(table.location()).createOrReplaceTempView(table.name());
        }
        trino.refresh(lake);
        List<String> names = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        Set<String> athenaFiles = new TreeSet<>();
        Set<String> athenaRun = new TreeSet<>();
        int comparisons = 0;
        int charts = 0;
        try (Stream<Path> files = Files.list(notebooks)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".sql")) {
                    athenaFiles.add(name);
                }
            }
        }
        List<Path> ipynbs;
        try (Stream<Path> files = Files.list(notebooks)) {
            ipynbs = files.filter(path -> path.toString().endsWith(".ipynb")).sorted().toList();
        }
        for (Path notebook : ipynbs) {
            names.add(notebook.getFileName().toString());
            ObjectNode document = (ObjectNode) JSON.readTree(notebook.toFile());
            Map<String, QueryResult> results = new HashMap<>();
            StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title><style>%s</style></head><body>"
                    .formatted(escape(notebook.getFileName().toString()), "body{font-family:sans-serif;max-width:60em;margin:auto}table{border-collapse:collapse}"
                            + "td,th{border:1px solid #ccc;padding:2px 6px;font-size:90%}pre{background:#f6f6f6;padding:6px}"));
            int index = 0;
            for (JsonNode node : document.withArray("cells")) {
                ObjectNode cell = (ObjectNode) node;
                index++;
                String source = source(cell);
                JsonNode sluice = cell.path("metadata").path("sluice");
                if (cell.path("cell_type").asText().equals("markdown")) {
                    html.append("<pre>").append(escape(source)).append("</pre>");
                    continue;
                }
                ArrayNode outputs = cell.putArray("outputs");
                html.append("<pre>").append(escape(source)).append("</pre>");
                if (source.startsWith("%%sql")) {
                    String firstLine = source.lines().findFirst().orElse("");
                    String sql = source.substring(firstLine.length()).strip();
                    QueryResult onSpark = spark(sql);
                    String resultName = firstLine.contains("-o ") ? firstLine.substring(firstLine.indexOf("-o ") + 3).strip().split("\\s+")[0] : "cell" + index;
                    results.put(resultName, onSpark);
                    outputs.add(tableOutput(onSpark, "Spark"));
                    html.append(htmlTable(onSpark, "Spark SQL"));
                    if (sluice.has("athena")) {
                        String athenaFile = sluice.get("athena").asText();
                        QueryResult onTrino = trino.query(Files.readString(notebooks.resolve(athenaFile)));
                        athenaRun.add(athenaFile);
                        comparisons++;
                        html.append(htmlTable(onTrino, "Athena (Trino) " + athenaFile));
                        if (!normalized(onSpark).equals(normalized(onTrino)) || onSpark.rows().isEmpty()) {
                            mismatches.add("%s cell %d vs %s:%n  spark %s%n  trino %s".formatted(notebook.getFileName(), index, athenaFile,
                                    normalized(onSpark), normalized(onTrino)));
                        }
                    }
                }
                else if (sluice.has("chart")) {
                    JsonNode chart = sluice.get("chart");
                    QueryResult data = requireNonNull(results.get(chart.get("data").asText()), "no result named " + chart.get("data").asText());
                    String svg = SvgChart.render(data, chart.get("type").asText(), chart.get("x").asText(), chart.get("y").asText(), chart.path("title").asText(""));
                    String chartName = notebook.getFileName().toString().replace(".ipynb", "") + "-cell" + index + ".svg";
                    Files.writeString(output.resolve(chartName), svg);
                    ObjectNode display = outputs.addObject();
                    display.put("output_type", "display_data");
                    display.putObject("metadata");
                    display.putObject("data").put("image/svg+xml", svg).put("text/plain", "<chart " + chartName + ">");
                    html.append(svg);
                    charts++;
                }
            }
            Files.writeString(output.resolve(notebook.getFileName()), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
            Files.writeString(output.resolve(notebook.getFileName().toString().replace(".ipynb", ".html")), html.append("</body></html>"));
        }
        for (String file : athenaFiles) {
            if (!athenaRun.contains(file)) {
                QueryResult onTrino = trino.query(Files.readString(notebooks.resolve(file)));
                athenaRun.add(file);
                Files.writeString(output.resolve(file.replace(".sql", ".trino.txt")), onTrino.format(MAX_ROWS));
            }
        }
        return new Report(names, mismatches, athenaFiles, athenaRun, comparisons, charts);
    }

    private QueryResult spark(String sql)
    {
        Dataset<Row> frame = spark.sql(sql);
        List<String> columns = List.of(frame.columns());
        List<List<Object>> rows = new ArrayList<>();
        for (Row row : frame.collectAsList()) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                values.add(row.get(i));
            }
            rows.add(values);
        }
        return new QueryResult(columns, rows);
    }

    /** Rows as comparable text, column names ignored (the engines case them alike here) and row order kept. */
    static List<List<String>> normalized(QueryResult result)
    {
        return result.rows().stream().map(row -> row.stream().map(NotebookRunner::normalize).toList()).toList();
    }

    private static String normalize(Object value)
    {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Double number) {
            return number.isNaN() ? "NaN" : new BigDecimal(number).round(new MathContext(9)).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Float number) {
            return new BigDecimal(number).round(new MathContext(6)).stripTrailingZeros().toPlainString();
        }
        if (value instanceof BigDecimal number) {
            return number.round(new MathContext(9)).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Number number) {
            return Long.toString(number.longValue());
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            // Trino's Delta Lake connector reads timestamps as timestamp(3): compare to the millisecond.
            return timestamp.toInstant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().toString();
        }
        if (value instanceof LocalDateTime dateTime) {
            return dateTime.toInstant(ZoneOffset.UTC).toString();
        }
        if (value instanceof ZonedDateTime dateTime) {
            return dateTime.toInstant().toString();
        }
        if (value instanceof OffsetDateTime dateTime) {
            return dateTime.toInstant().toString();
        }
        return String.valueOf(value);
    }

    private static ObjectNode tableOutput(QueryResult result, String engine)
    {
        ObjectNode output = JSON.createObjectNode();
        output.put("output_type", "display_data");
        output.putObject("metadata");
        output.putObject("data").put("text/html", htmlTable(result, engine)).put("text/plain", result.format(MAX_ROWS));
        return output;
    }

    private static String htmlTable(QueryResult result, String caption)
    {
        StringBuilder html = new StringBuilder("<table><caption>").append(escape(caption)).append(", ").append(result.rows().size()).append(" rows</caption><tr>");
        result.columns().forEach(column -> html.append("<th>").append(escape(column)).append("</th>"));
        html.append("</tr>");
        result.rows().stream().limit(MAX_ROWS).forEach(row -> {
            html.append("<tr>");
            row.forEach(value -> html.append("<td>").append(escape(normalize(value))).append("</td>"));
            html.append("</tr>");
        });
        return html.append("</table>").toString();
    }

    private static String source(JsonNode cell)
    {
        JsonNode source = cell.path("source");
        if (source.isArray()) {
            StringBuilder text = new StringBuilder();
            source.forEach(line -> text.append(line.asText()));
            return text.toString();
        }
        return source.asText();
    }

    static String escape(String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
