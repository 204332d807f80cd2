package org.ich.train.evaluation;

/** An operating point applied to one row's cases. */
public record PointResult(OperatingPoint point, Confusion confusion) {
}
