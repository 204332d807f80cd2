package org.ich.score.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.config.CommonConfig;
import org.ich.dicom.DicomObject;
import org.ich.dicom.DicomReadException;
import org.ich.dicom.PixelMedDicom;
import org.ich.etl.PixelParams;
import org.ich.etl.SliceDecoder;
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

    public static Share measure(SparkSession spark, CommonConfig common, PixelParams pixels, String version, URI masks) {
        String heatmaps = common.table(KeySliceHeatmaps.NAME);
        if (!spark.catalog().tableExists(heatmaps)) return new Share(0, 0);
        List<Row> rows = spark.table(heatmaps).where(col("model_version").equalTo(lit(version)))
                .select("sop_instance_uid", "peak_row", "peak_col", "size")
                .join(spark.table(common.table(SliceTable.NAME)).where(col("label_any").equalTo(1))
                        .select("sop_instance_uid", "source_uri", "tensor_size"), "sop_instance_uid")
                .orderBy("sop_instance_uid").collectAsList();
        Storage storage = Storage.of(common);
        long slices = 0, inMask = 0;
        for (Row r : rows) {
            String sop = r.getString(0);
            URI maskFile = Storage.child(masks, sop + BloodMask.SUFFIX);
            try {
                if (!storage.fs(maskFile).exists(new Path(maskFile))) continue;
                BloodMask.Read mask = BloodMask.read(storage.readAll(maskFile));
                URI source = URI.create(r.getString(4));
                DicomObject dicom = PixelMedDicom.read(storage.readAll(source), source.toString());
                HuImage hu = SliceDecoder.hu(dicom);
                int tensorSize = r.getInt(5);
                boolean[] blood = MaskTensor.map(mask.mask(), hu.rows(), hu.columns(), SliceDecoder.cropBox(hu, pixels),
                        tensorSize);
                // The map is on the network's grid; its peak pixel's centre, on the tensor's grid.
                int mapSize = r.getInt(3);
                int row = (int) ((r.getInt(1) + 0.5) * tensorSize / mapSize);
                int column = (int) ((r.getInt(2) + 0.5) * tensorSize / mapSize);
                slices++;
                if (blood[row * tensorSize + column]) inMask++;
            } catch (IOException | DicomReadException e) {
                throw new UncheckedIOException("cannot check the heatmap of slice " + sop + " against its mask "
                        + maskFile, e instanceof IOException io ? io : new IOException(e.getMessage(), e));
            }
        }
        return new Share(slices, inMask);
    }
}
