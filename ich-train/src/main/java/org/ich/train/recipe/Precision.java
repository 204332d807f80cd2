package org.ich.train.recipe;

import java.util.Locale;

import org.ich.config.ConfigError;
import org.ich.config.Settings;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Floating-point type of the network's parameters and activations ({@code ich.train.precision}). */
public enum Precision {
    FP32(DataType.FLOAT),
    FP16(DataType.HALF);

    public static final String KEY = "ich.train.precision";

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    /**
     * Refuses half precision on ND4J's CPU backend: it has no fp16 kernels worth the name and a ResNet's
     * loss turns NaN within a few steps (measured), so the run would waste its time and then fail.
     */
    public void checkSupported() {
        checkSupported(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend", "unknown"));
    }

    void checkSupported(String backend) {
        if (this == FP16 && "CPU".equalsIgnoreCase(backend)) {
            throw new ConfigError(KEY, "fp16 is not supported on ND4J's CPU backend (half-precision training gives"
                    + " NaN losses there); use fp32, or fp16 only with the CUDA backend");
        }
    }
}
