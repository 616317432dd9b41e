package dev.notejam.loadtests.observability;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws dashboard panels (series from Prometheus' query_range answers) into one PNG grid. */
final class DashboardPicture {

	/** One panel: its title, unit label, series, and the reference lines the dashboard JSON draws. */
	record Panel(String title, String unit, List<XYSeries> series, List<Double> referenceLines) {
	}

	private static final int WIDTH = 520;

	private static final int HEIGHT = 300;

	private DashboardPicture() {
	}

	static void write(String title, List<Panel> panels, Path png) throws IOException {
		int columns = 3;
		int rows = (panels.size() + columns - 1) / columns;
		BufferedImage image = new BufferedImage(columns * WIDTH, rows * HEIGHT + 40, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, image.getWidth(), image.getHeight());
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
		g.drawString(title, 12, 27);
		for (int i = 0; i < panels.size(); i++) {
			Panel panel = panels.get(i);
			XYSeriesCollection data = new XYSeriesCollection();
			panel.series().forEach(data::addSeries);
			JFreeChart chart = ChartFactory.createXYLineChart(panel.title(), "seconds into the test", panel.unit(), data);
			chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
			XYPlot plot = chart.getXYPlot();
			plot.setBackgroundPaint(Color.WHITE);
			plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
			plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
			for (double line : panel.referenceLines()) {
				ValueMarker marker = new ValueMarker(line, Color.RED, new java.awt.BasicStroke(1.5f));
				plot.addRangeMarker(marker);
			}
			chart.draw(g, new java.awt.geom.Rectangle2D.Double((i % columns) * WIDTH, 40 + (i / columns) * HEIGHT, WIDTH, HEIGHT));
		}
		g.dispose();
		ImageIO.write(image, "png", png.toFile());
	}
}
