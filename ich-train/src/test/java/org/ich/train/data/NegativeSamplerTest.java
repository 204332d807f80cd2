package org.ich.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class NegativeSamplerTest {

    private static List<String> keys(int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add("1.2.826.0.1.3680043.8." + i);
        }
        return keys;
    }

    @Test
    void keepsEveryPositiveInEveryEpoch() {
        NegativeSampler sampler = new NegativeSampler(0.01, 42);
        for (int epoch = 0; epoch < 5; epoch++) {
            for (String key : keys(2_000)) {
                assertTrue(sampler.keep(key, true, epoch));
            }
        }
    }

    @Test
    void keepsAboutTheFractionOfNegativesAndRedrawsThemEachEpoch() {
        NegativeSampler sampler = new NegativeSampler(0.25, 42);
        List<String> keys = keys(20_000);
        List<String> first = keys.stream().filter(k -> sampler.keep(k, false, 0)).toList();
        List<String> second = keys.stream().filter(k -> sampler.keep(k, false, 1)).toList();
        assertEquals(0.25, first.size() / 20_000.0, 0.015);
        assertEquals(0.25, second.size() / 20_000.0, 0.015);
        assertNotEquals(first, second);
        assertEquals(first, keys.stream().filter(k -> new NegativeSampler(0.25, 42).keep(k, false, 0)).toList(),
                "seeded: the same seed and epoch keep the same slices");
    }

    @Test
    void fractionOneKeepsAll() {
        NegativeSampler sampler = new NegativeSampler(1, 1);
        assertTrue(keys(500).stream().allMatch(k -> sampler.keep(k, false, 3)));
    }
}
