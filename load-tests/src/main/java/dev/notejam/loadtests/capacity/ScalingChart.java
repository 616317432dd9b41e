package dev.notejam.loadtests.capacity;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws stacked time charts (one shared time axis) to a PNG: used for the model's prediction and for data recorded
 * from a cluster, so both look the same.
 */
public final class ScalingChart {

	/** One line. {@code step} draws it as a staircase (replica counts). */
	public record Series(String name, double[] x, double[] y, boolean step) {
	}

	/** One stacked panel with an optional horizontal threshold (an SLO or a target). */
	public record Panel(String yLabel, List<Series> series, OptionalDouble threshold, String thresholdLabel) {
	}

	private static final Color[] COLORS = { new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
			new Color(0x9467bd), new Color(0xff7f0e) };

	private ScalingChart() {
	}

	public static void write(Path png, String title, String subtitle, List<Panel> panels) throws IOException {
		CombinedDomainXYPlot combined = new CombinedDomainXYPlot(new NumberAxis("time (s)"));
		combined.setGap(12);
		for (Panel panel : panels) {
			XYSeriesCollection data = new XYSeriesCollection();
			boolean anyStep = false;
			for (Series series : panel.series()) {
				XYSeries xy = new XYSeries(series.name(), false, true);
				for (int i = 0; i < series.x().length; i++) {
					if (!Double.isNaN(series.y()[i]) && !Double.isInfinite(series.y()[i])) {
						xy.add(series.x()[i], series.y()[i]);
					}
				}
				data.addSeries(xy);
				anyStep |= series.step();
			}
			XYLineAndShapeRenderer renderer = anyStep ? new XYStepRenderer() : new XYLineAndShapeRenderer(true, false);
			for (int i = 0; i < panel.series().size(); i++) {
				renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
				renderer.setSeriesStroke(i, new BasicStroke(2f));
				renderer.setSeriesShapesVisible(i, false);
			}
			NumberAxis yAxis = new NumberAxis(panel.yLabel());
			yAxis.setAutoRangeIncludesZero(true);
			XYPlot plot = new XYPlot(data, null, yAxis, renderer);
			plot.setBackgroundPaint(Color.WHITE);
			plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
			plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
			if (panel.threshold().isPresent()) {
				ValueMarker marker = new ValueMarker(panel.threshold().getAsDouble(), Color.GRAY,
						new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] { 6f, 4f }, 0f));
				marker.setLabel(panel.thresholdLabel());
				marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
				// right-aligned above the line: the default centres the text on the left edge, which clips it
				marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
				marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
				plot.addRangeMarker(marker);
				// keep the threshold in view
				double max = panel.series().stream().flatMapToDouble(s -> java.util.Arrays.stream(s.y()))
						.filter(v -> !Double.isNaN(v) && !Double.isInfinite(v)).max().orElse(0);
				yAxis.setAutoRange(false);
				yAxis.setRange(0, Math.max(max, panel.threshold().getAsDouble()) * 1.15 + 1e-9);
			}
			combined.add(plot, 1);
		}
		JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), combined, true);
		chart.setBackgroundPaint(Color.WHITE);
		if (subtitle != null && !subtitle.isBlank()) {
			chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
		}
		Files.createDirectories(png.toAbsolutePath().getParent());
		ChartUtils.saveChartAsPNG(png.toFile(), chart, 1100, 250 * panels.size() + 120);
	}
}
