package org.ich.train.sequence.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ich.domain.Labels;
import org.ich.etl.job.SliceTable;
import org.ich.train.sequence.SeriesExample;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

/** Rows of slice_embeddings become one series in slice order whatever order they arrive in. */
class SeriesRowsTest {
    private static final StructType SCHEMA = withLabels(SliceEmbeddingTable.SCHEMA);

    private static StructType withLabels(StructType schema) {
        StructType s = schema;
        for (String c : Labels.LABEL_COLUMNS) s = s.add(c, DataTypes.IntegerType, true);
        return s;
    }

    private static Row row(String slice, Integer index, Double z, float feature, double pAny, int any) {
        Object[] v = new Object[SCHEMA.size()];
        v[SCHEMA.fieldIndex(SliceTable.KEY)] = slice;
        v[SCHEMA.fieldIndex("series_key")] = "series";
        v[SCHEMA.fieldIndex("slice_index")] = index;
        v[SCHEMA.fieldIndex("z_position")] = z;
        v[SCHEMA.fieldIndex(SliceEmbeddingTable.EMBEDDING)] = JavaConverters.asScalaBuffer(List.of(feature, -feature));
        for (int l = 0; l < Labels.COUNT; l++) {
            v[SCHEMA.fieldIndex("p_slice_" + Labels.NAMES.get(l))] = l == 0 ? pAny : 0.5;
            v[SCHEMA.fieldIndex(Labels.LABEL_COLUMNS.get(l))] = l == 0 ? any : 0;
        }
        return new GenericRowWithSchema(v, SCHEMA);
    }

    @Test
    void shuffledRowsGiveTheSameSeriesInSliceOrder() {
        List<Row> rows = new ArrayList<>(List.of(
                row("c", 2, 10.0, 3f, 0.9, 1),
                row("a", 0, 0.0, 1f, 0.1, 0),
                row("d", null, 2.5, 4f, 0.5, 0),   // not placed by the ETL: last, by z
                row("b", 1, 5.0, 2f, 0.5, 1),
                row("e", null, 1.0, 5f, 0.5, 0)));
        SeriesExample reference = SeriesRows.example("series", rows, Labels.COUNT, true);
        assertEquals(List.of("a", "b", "c", "e", "d"), reference.sliceKeys());
        assertArrayEquals(new double[] {0, 5, 10, 1, 2.5}, reference.z());
        assertArrayEquals(new float[] {1, -1}, reference.embeddings()[0]);
        assertEquals(SeriesRows.logit(0.9), reference.logits()[2][0], 1e-6);
        assertEquals(1, reference.labels()[1][0]);
        Random random = new Random(3);
        for (int i = 0; i < 10; i++) {
            Collections.shuffle(rows, random);
            SeriesExample shuffled = SeriesRows.example("series", rows, Labels.COUNT, true);
            assertEquals(reference.sliceKeys(), shuffled.sliceKeys());
            for (int t = 0; t < reference.steps(); t++) {
                assertArrayEquals(reference.embeddings()[t], shuffled.embeddings()[t]);
                assertArrayEquals(reference.logits()[t], shuffled.logits()[t]);
                assertArrayEquals(reference.labels()[t], shuffled.labels()[t]);
            }
        }
    }

    @Test
    void anUnlabelledSeriesHasNoLabelsAndAMissingProbabilityIsNeutral() {
        Row r = row("a", 0, null, 1f, 0.5, 0);
        SeriesExample e = SeriesRows.example("series", List.of(r), 1, false);
        assertNull(e.labels());
        assertEquals(1, e.logits()[0].length);
        assertEquals(0, e.logits()[0][0], 1e-6, "p 0.5 is logit 0");
        assertEquals(Double.NaN, e.z()[0]);
        assertEquals(SeriesRows.logit(1.0), SeriesRows.logit(1 - 1e-6), 1e-6, "clipped where sigmoids saturate");
    }
}
