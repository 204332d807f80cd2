package org.ich.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.ich.domain.Labels;
import org.junit.jupiter.api.Test;

class LabelsTest {

    @Test
    void anyComesFirstAndSubtypesFollowInIchOrder() {
        assertEquals(List.of("any", "epidural", "intraparenchymal", "intraventricular", "subarachnoid", "subdural"),
                Labels.NAMES);
        assertEquals(0, Labels.ANY);
        assertEquals(6, Labels.COUNT);
    }

    @Test
    void columnNamesArePrefixedLabels() {
        assertEquals("label_any", Labels.labelColumn(0));
        assertEquals("label_subdural", Labels.LABEL_COLUMNS.get(5));
        assertEquals("p_intraventricular", Labels.predictionColumn(3));
        assertEquals(6, Labels.PREDICTION_COLUMNS.size());
        assertEquals(4, Labels.indexOf("subarachnoid"));
        assertThrows(IllegalArgumentException.class, () -> Labels.indexOf("chronic"));
    }

    @Test
    void competitionWeightsDoubleAny() {
        assertArrayEquals(new double[] {2, 1, 1, 1, 1, 1}, Labels.rsnaWeights());
        assertArrayEquals(new double[] {3, 1, 1, 1, 1, 1}, Head.SIX.lossWeights(3));
        assertArrayEquals(new double[] {1}, Head.ANY.lossWeights(3));
    }

    @Test
    void specRejectsWhatCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.of("resnet101", 3, 256, Head.SIX));
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.of("resnet18", 0, 256, Head.SIX));
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.of("resnet18", 3, 16, Head.SIX));
        assertThrows(IllegalArgumentException.class, () -> new ModelSpec("resnet18", 3, 256, Head.SIX, 0));
        assertEquals(Architecture.RESNET50, ModelSpec.of("ResNet-50", 3, 256, Head.ANY).resolvedArchitecture());
    }
}
