package org.ich.etl;

import org.ich.pixel.Window;

import java.io.Serializable;
import java.util.List;

/** How a slice becomes a tensor; shared by ETL and scoring so both produce identical pixels. */
public record PixelParams(List<Window> windows, int size, double emptyThreshold, float headThresholdHu, int cropMargin)
        implements Serializable {
    public PixelParams {
        windows = List.copyOf(windows);
    }

    /** The window stack as stored in the table properties, e.g. {@code brain:40:80,subdural:80:200,bone:600:2800}. */
    public String windowSpec() {
        return String.join(",", windows.stream().map(Window::toString).toList());
    }
}
