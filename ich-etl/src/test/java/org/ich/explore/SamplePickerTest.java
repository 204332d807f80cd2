package org.ich.explore;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SamplePickerTest {
    @Test
    void onePositivePerSubtypeThenNegativesThenMorePositives() {
        Map<String, List<String>> candidates = Map.of(
                "epidural", List.of("a", "b"),
                "subdural", List.of("a", "c", "d"),
                "any", List.of("a", "b", "c", "d"),
                "negative", List.of("n1", "n2"));
        // "a" is both subtypes' first choice: subdural falls back to its next one.
        assertEquals(List.of("a", "c", "n1"), SamplePicker.choose(candidates, 3));
        assertEquals(List.of("a", "c", "n1", "n2", "b", "d"), SamplePicker.choose(candidates, 10));
    }

    @Test
    void unlabelledTablesStillGetSamples() {
        assertEquals(List.of("u1", "u2"), SamplePicker.choose(Map.of("unlabelled", List.of("u1", "u2", "u3")), 2));
        assertEquals(List.of(), SamplePicker.choose(Map.of(), 4));
    }
}
