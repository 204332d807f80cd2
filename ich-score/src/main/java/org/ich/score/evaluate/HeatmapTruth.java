package org.ich.score.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.config.CommonConfig;
import org.ich.dicom.DicomObject;
import org.ich.dicom.DicomReadException;
import org.ich.dicom.PixelMedDicom;
import org.ich.etl.PixelParams;
import org.ich.etl.PrivacyConfig;
import org.ich.etl.SliceDecoder;
import org.ich.etl.job.CrosswalkTable;
import org.ich.etl.job.SliceTable;
import org.ich.pixel.HuImage;
import org.ich.pixel.MaskTensor;
import org.ich.score.job.KeySliceHeatmaps;
import org.ich.spark.Storage;
import org.ich.synth.BloodMask;

/**
 * How often the heatmaps point at the blood, on synthetic studies whose blood masks {@code ich synth} wrote
 * ({@code ich.synth.masks}): over the key slices of flagged studies that are labelled positive (the slices the model
 * found), the share whose heatmap peak lies on a pixel of the mask, carried onto the tensor grid by the ETL's own crop
 * and resampling. A figure to report, not a pass mark: a phantom's blood is the only bright structure inside the
 * skull, so the share says whether the map follows it, not how a map would do on real scans.
 */
public final class HeatmapTruth {

    /** @param slices positive key slices with a heatmap and a mask; {@code inMask} of them peak on the blood */
    public record Share(long slices, long inMask) {
        public double share() {
            return slices == 0 ? Double.NaN : (double) inMask / slices;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.3f (%d of %d positive key slices)", share(), inMask, slices);
        }
    }

    private HeatmapTruth() {
    }

    /**
     * The masks are named by SOPInstanceUID and the blood is found by re-reading the source DICOM, both of which only
     * the crosswalk knows: it is read here, and neither a UID nor a path leaves this method (failures name the slice
     * and file by key).
     */
    public static Share measure(SparkSession spark, CommonConfig common, PixelParams pixels,
                                PrivacyConfig.Crosswalk crosswalk, String version, URI masks) {
        String heatmaps = common.table(KeySliceHeatmaps.NAME);
        if (!spark.catalog().tableExists(heatmaps)) return new Share(0, 0);
        Dataset<Row> originals = CrosswalkTable.read(spark, crosswalk, "measuring heatmaps against the blood masks")
                .select(col("file_key").as("original_file"), col("sop_instance_uid"), col("source_uri"));
        Dataset<Row> mapped = spark.table(heatmaps).where(col("model_version").equalTo(lit(version)))
                .select(SliceTable.KEY, "peak_row", "peak_col", "size")
                .join(spark.table(common.table(SliceTable.NAME)).where(col("label_any").equalTo(1))
                        .select(SliceTable.KEY, "file_key", "tensor_size"), SliceTable.KEY);
        // By the slice's own file: a duplicate file of the same instance has a crosswalk row too.
        List<Row> rows = mapped.join(originals, mapped.col("file_key").equalTo(originals.col("original_file")))
                .orderBy(SliceTable.KEY).collectAsList();
        Storage storage = Storage.of(common);
        long slices = 0, inMask = 0;
        for (Row r : rows) {
            String slice = r.getAs(SliceTable.KEY), file = r.getAs("file_key");
            URI maskFile = Storage.child(masks, r.<String>getAs("sop_instance_uid") + BloodMask.SUFFIX);
            try {
                if (!storage.fs(maskFile).exists(new Path(maskFile))) continue;
                BloodMask.Read mask = BloodMask.read(storage.readAll(maskFile));
                URI source = URI.create(r.getAs("source_uri"));
                DicomObject dicom = PixelMedDicom.read(storage.readAll(source), file);
                HuImage hu = SliceDecoder.hu(dicom);
                int tensorSize = r.getAs("tensor_size");
                boolean[] blood = MaskTensor.map(mask.mask(), hu.rows(), hu.columns(), SliceDecoder.cropBox(hu, pixels),
                        tensorSize);
                // The map is on the network's grid; its peak pixel's centre, on the tensor's grid.
                int mapSize = r.getAs("size");
                int row = (int) ((r.<Integer>getAs("peak_row") + 0.5) * tensorSize / mapSize);
                int column = (int) ((r.<Integer>getAs("peak_col") + 0.5) * tensorSize / mapSize);
                slices++;
                if (blood[row * tensorSize + column]) inMask++;
            } catch (IOException e) {
                // Not chained: an I/O exception's message names the path, which would reach the log with it.
                throw new UncheckedIOException(new IOException("cannot check the heatmap of slice " + slice + " (file "
                        + file + ") against its blood mask under ich.synth.masks: " + e.getClass().getSimpleName()));
            } catch (DicomReadException e) {
                // Its message names the file by the key it was read under.
                throw new IllegalStateException("cannot check the heatmap of slice " + slice + ": " + e.getMessage(), e);
            }
        }
        return new Share(slices, inMask);
    }
}
