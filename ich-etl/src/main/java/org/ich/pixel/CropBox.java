package org.ich.pixel;

/**
 * The square region of a slice that holds the head: the bounding box of pixels above a HU threshold, plus a margin,
 * grown to a square around its center so that resizing keeps the anatomy's aspect ratio. The square may reach past
 * the image edge; resampling reads air there.
 */
public record CropBox(int top, int left, int side) {

    public static CropBox find(HuImage img, float thresholdHu, int margin) {
        int rows = img.rows(), cols = img.columns();
        float[] hu = img.hu();
        int minR = rows, maxR = -1, minC = cols, maxC = -1;
        for (int r = 0; r < rows; r++) {
            // Scan in from both edges: inside the head nothing needs looking at.
            int base = r * cols, first = 0, last = cols - 1;
            while (first < cols && !(hu[base + first] > thresholdHu)) first++;
            if (first == cols) continue;
            while (!(hu[base + last] > thresholdHu)) last--;
            if (r < minR) minR = r;
            maxR = r;
            if (first < minC) minC = first;
            if (last > maxC) maxC = last;
        }
        if (maxR < 0) return whole(rows, cols);
        minR -= margin; minC -= margin; maxR += margin; maxC += margin;
        int height = maxR - minR + 1, width = maxC - minC + 1;
        int side = Math.max(height, width);
        int top = minR - (side - height) / 2;
        int left = minC - (side - width) / 2;
        return new CropBox(top, left, side);
    }

    /** The smallest square covering the whole image, for slices with nothing above the threshold. */
    public static CropBox whole(int rows, int cols) {
        int side = Math.max(rows, cols);
        return new CropBox(-(side - rows) / 2, -(side - cols) / 2, side);
    }
}
