#!/usr/bin/python3
"""The reference the ETL benchmark compares against: pydicom + numpy + OpenCV doing the same per-slice steps as
ich's pixel path (read -> HU with the intercept fix -> brain fraction -> crop to the head -> resize -> window
stack -> bytes), single-threaded. Run by `ich bench etl` on the same files in the same run; prints NAME VALUE lines.

usage: etl_reference.py DIR SIZE PASSES
"""
import os
import sys
import time

import cv2
import numpy as np
import pydicom

WINDOWS = [(40, 80), (80, 200), (600, 2800)]


def pixel_path(path, size):
    ds = pydicom.dcmread(path)
    px = ds.pixel_array.astype(np.int32)
    intercept = float(ds.RescaleIntercept)
    if int(ds.BitsStored) == 12 and int(ds.PixelRepresentation) == 0 and intercept > -100:
        px = (px + 1000) % 4096
        intercept = -1000.0
    hu = px.astype(np.float32) * float(ds.RescaleSlope) + intercept
    brain = np.mean((hu > 0) & (hu < 80))
    rows, cols = np.nonzero(hu > -300)
    if rows.size:
        hu = hu[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    hu = cv2.resize(hu, (size, size), interpolation=cv2.INTER_AREA)
    channels = [np.clip((hu - (c - w / 2)) * (255.0 / w), 0, 255).astype(np.uint8) for c, w in WINDOWS]
    return brain, np.stack(channels).tobytes()


def main():
    folder, size, passes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    cv2.setNumThreads(1)
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(folder) for f in fs)
    for f in files:  # warm-up: imports, caches
        pixel_path(f, size)
    start = time.perf_counter()
    for _ in range(passes):
        for f in files:
            pydicom.dcmread(f).pixel_array
    read_ms = (time.perf_counter() - start) * 1000 / (passes * len(files))
    start = time.perf_counter()
    for _ in range(passes):
        for f in files:
            pixel_path(f, size)
    total_ms = (time.perf_counter() - start) * 1000 / (passes * len(files))
    print(f"reference.dicom_read.ms_per_slice {read_ms:.3f}")
    print(f"reference.pixel_path.ms_per_slice {total_ms:.3f}")


if __name__ == "__main__":
    main()
