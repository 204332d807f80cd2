package org.ich.train.bench;

import java.util.Map;

/**
 * PyTorch 1.13 on 2 threads on the benchmark machine, ResNet 3x128x128, batch 32, as recorded in the issue that
 * asked for {@code ich bench train}. Recorded rather than measured because the project runs without Python.
 */
final class PytorchReference {

    static final String SOURCE = "PyTorch 1.13, 2 threads, same machine, 3x128x128, batch 32 (recorded, not measured now)";

    record Rates(double train, double infer) {
    }

    private static final Map<String, Rates> RECORDED = Map.of(
            "resnet18.128", new Rates(39.6, 125.6),
            "resnet50.128", new Rates(14.5, 57.0));

    private PytorchReference() {
    }

    /** The recorded rates for this architecture id and input size, or null where none were recorded. */
    static Rates of(String architecture, int size) {
        return RECORDED.get(architecture + "." + size);
    }
}
