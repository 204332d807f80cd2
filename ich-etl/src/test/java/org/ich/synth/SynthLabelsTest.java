package org.ich.synth;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RSNA-format label file of an eight-patient cohort in which everyone bleeds. */
class SynthLabelsTest {
    @TempDir
    static Path dir;
    static SynthFixture.Written cohort;
    static List<String> lines;

    @BeforeAll
    static void write() throws Exception {
        // Series of realistic length (slice spacing 4-8 mm), so every bleed crosses several slices.
        cohort = SynthFixture.write(SynthFixture.config(dir, "ich.synth.patients=8", "ich.synth.bleed-fraction=1",
                "ich.synth.duplicate-label-rows=7", "ich.synth.min-slices=20", "ich.synth.max-slices=24"));
        lines = cohort.labelLines();
    }

    @Test
    void sixRowsPerSlicePlusTheDuplicates() {
        assertEquals("ID,Label", lines.get(0));
        int slices = cohort.cohort().totalSlices();
        assertEquals(1 + 6 * slices + 7, lines.size());
        Map<String, Integer> counts = new HashMap<>();
        for (String l : lines.subList(1, lines.size())) counts.merge(l, 1, Integer::sum);
        assertEquals(6 * slices, counts.size(), "distinct rows");
        assertEquals(7, counts.values().stream().mapToInt(c -> c - 1).sum(), "extra copies");
        for (String l : lines.subList(1, lines.size())) assertTrue(l.matches("ID_2\\.25\\.[0-9]+_[a-z]+,[01]"), l);
    }

    @Test
    void everySliceHasItsSixLabelsInRsnaOrderAndAnyIsTheirOr() {
        Map<String, List<String>> bySop = new LinkedHashMap<>();
        Map<String, Integer> values = new HashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            String id = l.substring(3, l.indexOf(','));
            String sop = id.substring(0, id.lastIndexOf('_'));
            String label = id.substring(id.lastIndexOf('_') + 1);
            List<String> seen = bySop.computeIfAbsent(sop, k -> new ArrayList<>());
            if (!seen.contains(label)) seen.add(label);
            values.put(sop + "/" + label, Integer.parseInt(l.substring(l.indexOf(',') + 1)));
        }
        for (PatientPlan p : cohort.cohort().patients()) {
            for (String sop : p.series().sopUids()) {
                assertEquals(BleedType.RSNA_LABELS, bySop.get(sop), sop);
                int or = 0;
                for (BleedType t : BleedType.values()) or |= values.get(sop + "/" + t.label());
                assertEquals(or, values.get(sop + "/any"));
            }
        }
        assertEquals(cohort.cohort().totalSlices(), bySop.size());
    }

    @Test
    void labelsFollowThePixelsAndEverySubtypeOccurs() {
        Map<BleedType, Integer> positives = new EnumMap<>(BleedType.class);
        Map<String, Integer> values = new HashMap<>();
        for (String l : lines.subList(1, lines.size())) values.put(l.substring(0, l.indexOf(',')), Integer.parseInt(l.substring(l.indexOf(',') + 1)));
        for (PatientPlan p : cohort.cohort().patients()) {
            assertTrue(!p.bleedTypes().isEmpty() && p.bleedTypes().size() <= 2, "1-2 bleeds each");
            Phantom phantom = new Phantom(p);
            int positiveSlices = 0;
            for (int k = 0; k < p.series().slices(); k++) {
                RenderedSlice s = phantom.render(k);
                for (BleedType t : BleedType.values()) {
                    int v = values.get("ID_" + p.series().sopUids().get(k) + "_" + t.label());
                    assertEquals(s.positive(t) ? 1 : 0, v);
                    if (v == 1) {
                        positives.merge(t, 1, Integer::sum);
                        assertTrue(p.bleedTypes().contains(t), "only the patient's own subtypes");
                    }
                }
                if (s.any()) positiveSlices++;
            }
            assertTrue(positiveSlices >= 3, "a bleed spans several slices, patient " + p.index());
        }
        for (BleedType t : BleedType.values()) assertTrue(positives.getOrDefault(t, 0) > 0, "no positive " + t);
        assertEquals(positives, withZeros(cohort.summary().positiveSlices()));
    }

    private static Map<BleedType, Integer> withZeros(Map<BleedType, Integer> m) {
        Map<BleedType, Integer> out = new EnumMap<>(BleedType.class);
        m.forEach((k, v) -> { if (v > 0) out.put(k, v); });
        return out;
    }
}
