package ai.caracal.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Draws a horizontal bar chart of µs/op on a logarithmic axis as a PNG, with the JDK only (headless). */
final class BarChart {

    private static final int WIDTH = 1100;
    private static final int ROW = 30;
    private static final int LABEL_WIDTH = 330;
    private static final int TOP = 60;
    private static final int BOTTOM = 50;

    private BarChart() {
    }

    static void write(List<BenchmarkResult> rows, String title, Path png) throws IOException {
        int height = TOP + rows.size() * ROW + BOTTOM;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);

        double min = 0.1;
        double max = rows.stream().mapToDouble(BenchmarkResult::microseconds).max().orElse(1) * 2;
        int plotLeft = LABEL_WIDTH + 10;
        int plotWidth = WIDTH - plotLeft - 90;

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 20, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

        g.setColor(new Color(220, 220, 220));
        g.setStroke(new BasicStroke(1));
        for (double tick = min; tick <= max; tick *= 10) {
            int x = plotLeft + (int) (plotWidth * position(tick, min, max));
            g.drawLine(x, TOP - 5, x, TOP + rows.size() * ROW);
            g.setColor(Color.DARK_GRAY);
            g.drawString(format(tick) + " µs", x - 15, TOP + rows.size() * ROW + 18);
            g.setColor(new Color(220, 220, 220));
        }

        for (int i = 0; i < rows.size(); i++) {
            BenchmarkResult row = rows.get(i);
            int y = TOP + i * ROW;
            g.setColor(Color.BLACK);
            g.drawString(row.name(), 20, y + ROW / 2 + 5);
            int barWidth = Math.max(2, (int) (plotWidth * position(row.microseconds(), min, max)));
            g.setColor(colour(row.name()));
            g.fillRect(plotLeft, y + 5, barWidth, ROW - 10);
            g.setColor(Color.BLACK);
            g.drawString(format(row.microseconds()) + " µs", plotLeft + barWidth + 6, y + ROW / 2 + 5);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString("time per verification, logarithmic scale (lower is better)", plotLeft, height - 12);
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static double position(double value, double min, double max) {
        double clamped = Math.max(value, min);
        return Math.log10(clamped / min) / Math.log10(max / min);
    }

    private static Color colour(String name) {
        if (name.startsWith("Caracal repeat")) {
            return new Color(46, 139, 87);
        }
        if (name.startsWith("Caracal")) {
            return new Color(60, 120, 200);
        }
        if (name.startsWith("raw")) {
            return new Color(160, 160, 160);
        }
        return new Color(210, 105, 30);
    }

    static String format(double micros) {
        if (micros >= 100) {
            return String.format(java.util.Locale.ROOT, "%.0f", micros);
        }
        if (micros >= 10) {
            return String.format(java.util.Locale.ROOT, "%.1f", micros);
        }
        return String.format(java.util.Locale.ROOT, "%.2f", micros);
    }
}
