package dev.outboxrelay.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.imageio.ImageIO;

/** Draws latency percentiles per second of each latency run, one panel per run, as a PNG. */
final class LatencyChart {

    private static final int WIDTH = 1000;
    private static final int PANEL = 300;
    private static final int MARGIN = 60;
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0xd62728)};
    private static final double[] PERCENTILES = {50, 95, 99};

    private LatencyChart() {
    }

    static void write(Map<String, LatencyRun.Result> runs, Path file) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, PANEL * runs.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        int top = 0;
        for (Map.Entry<String, LatencyRun.Result> run : runs.entrySet()) {
            panel(g, run.getKey(), perSecond(run.getValue().samples()), top);
            top += PANEL;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /** For each second since the first commit: p50, p95, p99 of the latencies of that second's commits. */
    static List<long[]> perSecond(List<long[]> samples) {
        if (samples.isEmpty()) {
            return List.of();
        }
        long first = samples.stream().mapToLong(s -> s[0]).min().orElse(0);
        Map<Long, List<Long>> bySecond = new TreeMap<>();
        for (long[] sample : samples) {
            bySecond.computeIfAbsent((sample[0] - first) / 1000, k -> new ArrayList<>()).add(sample[1]);
        }
        List<long[]> rows = new ArrayList<>();
        for (Map.Entry<Long, List<Long>> second : bySecond.entrySet()) {
            long[] sorted = second.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
            long[] row = new long[PERCENTILES.length + 1];
            row[0] = second.getKey();
            for (int i = 0; i < PERCENTILES.length; i++) {
                row[i + 1] = LatencyRun.Result.percentile(sorted, PERCENTILES[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    private static void panel(Graphics2D g, String title, List<long[]> rows, int top) {
        int left = MARGIN;
        int bottom = top + PANEL - MARGIN / 2 - 10;
        int plotTop = top + MARGIN / 2 + 10;
        int right = WIDTH - 20;
        long maxY = Math.max(1, rows.stream().mapToLong(r -> Arrays.stream(r, 1, r.length).max().orElse(0)).max()
                .orElse(1));
        long maxX = Math.max(1, rows.isEmpty() ? 1 : rows.get(rows.size() - 1)[0]);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title + " (ms, per second of the run)", left, top + 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, plotTop, left, bottom);
        for (int i = 0; i <= 4; i++) {
            int y = bottom - (bottom - plotTop) * i / 4;
            g.setColor(Color.LIGHT_GRAY);
            g.drawLine(left + 1, y, right, y);
            g.setColor(Color.BLACK);
            g.drawString(Long.toString(maxY * i / 4), 5, y + 4);
        }
        g.drawString("0 s", left, bottom + 15);
        g.drawString(maxX + " s", right - 30, bottom + 15);
        for (int p = 0; p < PERCENTILES.length; p++) {
            g.setColor(COLOURS[p]);
            g.setStroke(new BasicStroke(1.5f));
            for (int i = 1; i < rows.size(); i++) {
                g.drawLine(x(rows.get(i - 1)[0], maxX, left, right), y(rows.get(i - 1)[p + 1], maxY, plotTop, bottom),
                        x(rows.get(i)[0], maxX, left, right), y(rows.get(i)[p + 1], maxY, plotTop, bottom));
            }
            g.drawString("p" + (int) PERCENTILES[p], right - 150 + p * 50, top + 20);
        }
    }

    private static int x(long second, long maxX, int left, int right) {
        return left + (int) ((right - left) * second / maxX);
    }

    private static int y(long millis, long maxY, int top, int bottom) {
        return bottom - (int) ((bottom - top) * millis / maxY);
    }
}
