package ai.caracal.bench.ops;

import ai.caracal.mint.Json;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Draws Caracal's Grafana dashboard ({@code docs/operations/caracal-dashboard.json}) as a PNG from the
 * scrapes of a real run ({@link MetricsRun}), with Java2D: each panel at its grid position, each target's
 * query evaluated by {@link PromQuery} at every scrape, one line per resulting series named by the
 * target's legend format, threshold lines where the panel draws them, and the run's fault windows shaded. It is not Grafana: no Grafana runs on the
 * build machine, so this draws the same queries over the same kind of data.
 *
 * <p>Usage: {@code java -cp ... ai.caracal.bench.ops.DashboardRenderer <dashboard.json> <run-dir> <out.png>}
 */
public final class DashboardRenderer {

    private static final int WIDTH = 1600;
    private static final int ROW = 34;
    private static final int HEADER = 70;
    private static final Color[] PALETTE = {
        new Color(0x73BF69), new Color(0xF2495C), new Color(0x5794F2), new Color(0xFF9830), new Color(0xB877D9),
        new Color(0xFADE2A), new Color(0x8AB8FF), new Color(0xFF7383), new Color(0x37872D), new Color(0xC4162A),
        new Color(0x1F60C4), new Color(0xFA6400)
    };
    private static final Color BACKGROUND = new Color(0x111217);
    private static final Color PANEL = new Color(0x181B1F);
    private static final Color GRID = new Color(0x2C3235);
    private static final Color TEXT = new Color(0xCCCCDC);
    private static final Color FAULT = new Color(242, 73, 92, 40);

    private DashboardRenderer() {
    }

    /**
     * @param args dashboard JSON, run directory (with {@code scrapes.txt} and {@code phases.txt}), output PNG
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        render(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
    }

    static void render(Path dashboardJson, Path runDir, Path png) throws IOException {
        Object dashboard;
        try {
            dashboard = Json.readLastWins(Files.readString(dashboardJson));
        } catch (Json.SyntaxException e) {
            throw new IOException(dashboardJson + " is not JSON: " + e.getMessage(), e);
        }
        List<PromQuery.Scrape> scrapes = PromQuery.readScrapes(Files.readAllLines(runDir.resolve("scrapes.txt"),
                StandardCharsets.UTF_8));
        List<long[]> faults = new ArrayList<>();
        List<String> faultLabels = new ArrayList<>();
        Path phases = runDir.resolve("phases.txt");
        if (Files.exists(phases)) {
            for (String line : Files.readAllLines(phases, StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ", 3);
                faults.add(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])});
                faultLabels.add(parts[2]);
            }
        }
        int rows = 0;
        for (Object panel : list(dashboard, "panels")) {
            rows = Math.max(rows, integer(panel, "gridPos", "y") + integer(panel, "gridPos", "h"));
        }
        BufferedImage image = new BufferedImage(WIDTH, HEADER + rows * ROW + 10, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        long start = scrapes.get(0).timeMillis();
        long end = scrapes.get(scrapes.size() - 1).timeMillis();
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(text(dashboard, "", "title") + "  (rendered from " + scrapes.size()
                + " scrapes of a real run, " + Math.round((end - start) / 60_000.0) + " min; Java2D, not Grafana)", 12, 26);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int x = 12;
        for (int i = 0; i < faults.size(); i++) {
            String label = String.format(Locale.ROOT, "%s: %d-%d s", faultLabels.get(i),
                    (faults.get(i)[0] - start) / 1000, (faults.get(i)[1] - start) / 1000);
            g.setColor(FAULT);
            g.fillRect(x, 40, 14, 14);
            g.setColor(TEXT);
            g.drawString(label, x + 20, 52);
            x += g.getFontMetrics().stringWidth(label) + 40;
        }
        for (Object panel : list(dashboard, "panels")) {
            drawPanel(g, panel, scrapes, faults, start, end);
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(image, "png", png.toFile());
    }

    private static void drawPanel(Graphics2D g, Object panel, List<PromQuery.Scrape> scrapes, List<long[]> faults,
            long start, long end) {
        double unit = (WIDTH - 8) / 24.0;
        int px = (int) (4 + integer(panel, "gridPos", "x") * unit) + 4;
        int py = HEADER + integer(panel, "gridPos", "y") * ROW + 4;
        int pw = (int) (integer(panel, "gridPos", "w") * unit) - 8;
        int ph = integer(panel, "gridPos", "h") * ROW - 8;
        g.setColor(PANEL);
        g.fillRoundRect(px, py, pw, ph, 6, 6);
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(text(panel, "", "title"), px + 10, py + 20);

        String unitName = text(panel, "short", "fieldConfig", "defaults", "unit");
        Map<String, double[]> series = new LinkedHashMap<>();
        for (Object target : list(panel, "targets")) {
            PromQuery query = PromQuery.parse(text(target, "", "expr").replace("$job", ".*"));
            String legend = text(target, "", "legendFormat");
            for (int i = 0; i < scrapes.size(); i++) {
                PromQuery.Vector result = query.eval(scrapes, i);
                if (result.scalar() != null) {
                    series.computeIfAbsent(legend, k -> nanArray(scrapes.size()))[i] = result.scalar();
                    continue;
                }
                int index = i;
                result.values().forEach((labels, value) -> series.computeIfAbsent(legend(legend, labels),
                        k -> nanArray(scrapes.size()))[index] = value);
            }
        }
        int left = px + 62;
        int top = py + 32;
        int right = px + pw - 12;
        int legendRows = Math.max(1, (series.size() + 3) / 4);
        int bottom = py + ph - 24 - legendRows * 16;
        double max = 0;
        for (double[] values : series.values()) {
            for (double value : values) {
                if (!Double.isNaN(value)) {
                    max = Math.max(max, value);
                }
            }
        }
        List<Double> thresholds = new ArrayList<>();
        String thresholdStyle = text(panel, "off", "fieldConfig", "defaults", "custom", "thresholdsStyle", "mode");
        if (!thresholdStyle.equals("off")) {
            for (Object step : list(at(panel, "fieldConfig", "defaults"), "thresholds", "steps")) {
                if (at(step, "value") instanceof Number value) {
                    thresholds.add(value.doubleValue());
                    max = Math.max(max, value.doubleValue());
                }
            }
        }
        if (at(panel, "fieldConfig", "defaults", "max") instanceof Number fixed) {
            max = Math.max(max, fixed.doubleValue());
        }
        boolean log = "log".equals(text(panel, "", "fieldConfig", "defaults", "custom", "scaleDistribution", "type"));
        double lowest = Double.POSITIVE_INFINITY;
        for (double[] values : series.values()) {
            for (double value : values) {
                if (value > 0) {
                    lowest = Math.min(lowest, value);
                }
            }
        }
        Scale scale = log && lowest < Double.POSITIVE_INFINITY
                ? new Scale(true, Math.pow(10, Math.floor(Math.log10(lowest))),
                        Math.pow(10, Math.ceil(Math.log10(Math.max(max, lowest * 10)))))
                : new Scale(false, 0, niceCeiling(max));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (long[] fault : faults) {
            int fx1 = xOf(fault[0], start, end, left, right);
            int fx2 = xOf(fault[1], start, end, left, right);
            g.setColor(FAULT);
            g.fillRect(fx1, top, Math.max(1, fx2 - fx1), bottom - top);
        }
        for (double tick : scale.ticks()) {
            int y = scale.y(tick, top, bottom);
            g.setColor(GRID);
            g.drawLine(left, y, right, y);
            g.setColor(TEXT);
            String label = format(tick, unitName);
            g.drawString(label, left - 6 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        if (scale.log()) {
            g.setColor(TEXT);
            g.drawString("(log scale)", right - 70, py + 20);
        }
        for (long t = 0; t <= end - start; t += 60_000) {
            int tx = xOf(start + t, start, end, left, right);
            g.setColor(GRID);
            g.drawLine(tx, top, tx, bottom);
            g.setColor(TEXT);
            g.drawString(t / 60_000 + " min", tx - 12, bottom + 14);
        }
        for (double threshold : thresholds) {
            int ty = scale.y(threshold, top, bottom);
            g.setColor(new Color(0xF2495C));
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            g.drawLine(left, ty, right, ty);
            g.setStroke(new BasicStroke(1f));
            String label = "threshold " + format(threshold, unitName);
            g.drawString(label, right - 4 - g.getFontMetrics().stringWidth(label), ty - 3);
        }
        int colour = 0;
        int legendX = left;
        int legendY = bottom + 32;
        boolean stacked = "normal".equals(text(panel, "", "fieldConfig", "defaults", "custom", "stacking", "mode"));
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            Color color = PALETTE[colour++ % PALETTE.length];
            g.setColor(color);
            g.setStroke(new BasicStroke(1.8f));
            int lastX = -1;
            int lastY = -1;
            double[] values = entry.getValue();
            for (int i = 0; i < values.length; i++) {
                if (Double.isNaN(values[i]) || (scale.log() && values[i] <= 0)) {
                    lastX = -1;
                    continue;
                }
                int cx = xOf(scrapes.get(i).timeMillis(), start, end, left, right);
                int cy = scale.y(values[i], top, bottom);
                if (lastX >= 0) {
                    g.drawLine(lastX, lastY, cx, cy);
                }
                lastX = cx;
                lastY = cy;
            }
            g.fillRect(legendX, legendY - 9, 12, 4);
            g.setColor(TEXT);
            g.drawString(entry.getKey(), legendX + 16, legendY - 4);
            legendX += (right - left) / 4;
            if (legendX > right - 60) {
                legendX = left;
                legendY += 16;
            }
        }
        g.setStroke(new BasicStroke(1f));
        if (series.isEmpty()) {
            g.setColor(TEXT);
            g.drawString("no data", (left + right) / 2 - 20, (top + bottom) / 2);
        }
        if (stacked) {
            g.setColor(TEXT);
            g.drawString("(lines, not stacked)", right - 110, py + 20);
        }
    }

    /** The value axis: linear from 0, or logarithmic between two powers of ten. */
    private record Scale(boolean log, double low, double high) {
        int y(double value, int top, int bottom) {
            double share = log ? (Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))
                    : high == 0 ? 0 : value / high;
            return (int) (bottom - (bottom - top) * Math.max(0, Math.min(1, share)));
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            if (log) {
                for (double tick = low; tick <= high * 1.0001; tick *= 10) {
                    ticks.add(tick);
                }
            } else {
                for (int i = 0; i <= 4; i++) {
                    ticks.add(high * i / 4);
                }
            }
            return ticks;
        }
    }

    private static double[] nanArray(int size) {
        double[] values = new double[size];
        java.util.Arrays.fill(values, Double.NaN);
        return values;
    }

    private static String legend(String format, Map<String, String> labels) {
        Matcher matcher = Pattern.compile("\\{\\{\\s*([a-zA-Z_]+)\\s*}}").matcher(format);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(labels.getOrDefault(matcher.group(1), "")));
        }
        matcher.appendTail(out);
        return out.isEmpty() ? labels.toString() : out.toString();
    }

    private static int xOf(long time, long start, long end, int left, int right) {
        return left + (int) ((right - left) * (double) (time - start) / Math.max(1, end - start));
    }

    private static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String format(double value, String unit) {
        return switch (unit) {
            case "percentunit" -> String.format(Locale.ROOT, "%.0f%%", value * 100);
            case "s" -> value == 0 ? "0"
                    : value >= 10 || value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f s", value)
                    : value >= 1 ? String.format(Locale.ROOT, "%.1f s", value)
                    : value >= 0.001 ? String.format(Locale.ROOT, "%.0f ms", value * 1000)
                    : new java.math.BigDecimal(value * 1000).round(new java.math.MathContext(2)).stripTrailingZeros()
                            .toPlainString() + " ms";
            case "reqps" -> String.format(Locale.ROOT, "%.0f/s", value);
            case "none" -> String.format(Locale.ROOT, value == Math.rint(value) ? "%.0f" : "%.2f", value);
            default -> String.format(Locale.ROOT, value >= 10 ? "%.0f/s" : "%.2f/s", value);
        };
    }

    /** @return the member at {@code path} of nested JSON objects, or {@code null} */
    private static Object at(Object node, String... path) {
        for (String key : path) {
            node = node instanceof Map<?, ?> object ? object.get(key) : null;
        }
        return node;
    }

    private static String text(Object node, String fallback, String... path) {
        Object value = at(node, path);
        return value == null ? fallback : String.valueOf(value);
    }

    private static int integer(Object node, String... path) {
        return at(node, path) instanceof Number number ? number.intValue() : 0;
    }

    private static List<?> list(Object node, String... path) {
        return at(node, path) instanceof List<?> values ? values : List.of();
    }
}
