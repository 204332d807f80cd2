package org.ich.train.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void eceOverTheNonEmptyBins() {
        // Five bins: [0, 0.2) holds 0.1 and 0.15 (mean 0.125, one of two positive: gap 0.375);
        // [0.8, 1] holds 0.9 and 1.0 (mean 0.95, observed 0.5: gap 0.45). ECE = 0.5 * 0.375 + 0.5 * 0.45.
        Calibration calibration = Calibration.of(new double[] {0.1, 0.9, 0.15, 1.0}, new int[] {0, 1, 1, 0}, 5);
        assertEquals(0.4125, calibration.ece(), 1e-12);
        List<Calibration.Bin> bins = calibration.bins();
        assertEquals(2, bins.size());
        assertEquals(new Calibration.Bin(0.0, 0.2, 2, 0.125, 0.5), bins.get(0));
        assertEquals(0.8, bins.get(1).lower(), 1e-12);
        assertEquals(1.0, bins.get(1).upper(), 1e-12);
        assertEquals(2, bins.get(1).count());
        assertEquals(0.95, bins.get(1).meanPredicted(), 1e-12);
    }

    @Test
    void perfectlyCalibratedBinsHaveNoError() {
        Calibration calibration = Calibration.of(new double[] {0.5, 0.5, 0.0, 1.0}, new int[] {1, 0, 0, 1}, 2);
        assertEquals(0.0, calibration.ece(), 1e-12);
    }

    @Test
    void rejectsProbabilitiesOutsideTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> Calibration.of(new double[] {1.2}, new int[] {1}, 10));
        assertThrows(IllegalArgumentException.class, () -> Calibration.of(new double[] {}, new int[] {}, 10));
    }
}
