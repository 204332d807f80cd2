package org.ich.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.ich.cli.UserError;
import org.ich.spark.Storage;

import javax.imageio.ImageIO;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Writes the report's files into its folder on any storage ich supports. Every method returns the name relative to
 * the folder, which is what index.html links to, so the folder can be copied or served anywhere.
 */
public final class ReportFiles {
    private final Storage storage;
    private final URI dir;

    public ReportFiles(Storage storage, URI dir) {
        this.storage = storage;
        this.dir = dir;
    }

    public URI uri(String name) {
        return Storage.child(dir, name);
    }

    public String chart(String name, JFreeChart chart, int width, int height) {
        return write(name, out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
    }

    public String png(String name, RenderedImage image) {
        return write(name, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer for " + name);
        });
    }

    public String text(String name, String content) {
        return write(name, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    private interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private String write(String name, Body body) {
        try (OutputStream out = storage.create(uri(name))) {
            body.writeTo(out);
        } catch (IOException e) {
            throw new UserError("cannot write " + uri(name) + ": " + e.getMessage(), e);
        }
        return name;
    }
}
