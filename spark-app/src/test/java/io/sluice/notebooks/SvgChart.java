package io.sluice.notebooks;

import io.sluice.trino.QueryResult;

import java.util.List;
import java.util.Locale;

/** Bar and line charts as SVG, from two columns of a result: enough for the notebooks' executed copies, no Python needed. */
final class SvgChart
{
    private static final int WIDTH = 640;
    private static final int HEIGHT = 320;
    private static final int LEFT = 60;
    private static final int BOTTOM = 70;
    private static final int TOP = 30;

    private SvgChart() {}

    static String render(QueryResult data, String type, String x, String y, String title)
    {
        int xIndex = column(data, x);
        int yIndex = column(data, y);
        List<String> labels = data.rows().stream().map(row -> String.valueOf(row.get(xIndex))).toList();
        List<Double> values = data.rows().stream().map(row -> row.get(yIndex) == null ? 0.0 : ((Number) row.get(yIndex)).doubleValue()).toList();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        max = max <= 0 ? 1 : max;
        int plotWidth = WIDTH - LEFT - 20;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"10\">".formatted(WIDTH, HEIGHT));
        svg.append("<text x=\"%d\" y=\"18\" font-size=\"13\">%s</text>".formatted(LEFT, NotebookRunner.escape(title.isEmpty() ? y + " by " + x : title)));
        svg.append("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>".formatted(LEFT, TOP, LEFT, TOP + plotHeight));
        svg.append("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>".formatted(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight));
        for (int tick = 0; tick <= 4; tick++) {
            double value = max * tick / 4;
            double ty = TOP + plotHeight - plotHeight * tick / 4.0;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT - 4, ty + 3, label(value)));
        }
        int count = Math.max(1, values.size());
        double step = (double) plotWidth / count;
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            double height = plotHeight * values.get(i) / max;
            double cx = LEFT + step * i;
            if (type.equals("line")) {
                line.append(String.format(Locale.ROOT, "%s%.1f,%.1f ", i == 0 ? "" : "", cx + step / 2, TOP + plotHeight - height));
            }
            else {
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4878a8\"><title>%s: %s</title></rect>",
                        cx + step * 0.1, TOP + plotHeight - height, step * 0.8, height, NotebookRunner.escape(labels.get(i)), label(values.get(i))));
            }
            if (count <= 40 || i % (count / 20) == 0) {
                svg.append(String.format(Locale.ROOT, "<text transform=\"translate(%.1f,%d) rotate(45)\">%s</text>", cx + step / 2, TOP + plotHeight + 10,
                        NotebookRunner.escape(labels.get(i).length() > 19 ? labels.get(i).substring(0, 19) : labels.get(i))));
            }
        }
        if (type.equals("line")) {
            svg.append("<polyline fill=\"none\" stroke=\"#4878a8\" stroke-width=\"2\" points=\"%s\"/>".formatted(line.toString().strip()));
        }
        return svg.append("</svg>").toString();
    }

    private static String label(double value)
    {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static int column(QueryResult data, String name)
    {
        int index = data.columns().indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("Invalid chart column: %s (the result has %s)".formatted(name, data.columns()));
        }
        return index;
    }
}
