package org.ich.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class TtaTest {

    @Test
    void hflipMirrorsEveryRowOfEveryChannel() {
        // 2 channels of 3 x 3
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18};
        float[] flipped = Tta.HFLIP.apply(x, 2, 3);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10, 15, 14, 13, 18, 17, 16}, flipped);
        assertArrayEquals(x, Tta.HFLIP.apply(flipped, 2, 3));
        assertTrue(Tta.IDENTITY.apply(x, 2, 3) == x, "identity is free");
    }

    @Test
    void namesParseAndDescribe() {
        assertEquals(Tta.HFLIP, Tta.parse(" HFlip "));
        assertEquals("identity+hflip", Tta.describe(List.of(Tta.IDENTITY, Tta.HFLIP)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tta.parse("rotate"));
        assertTrue(e.getMessage().contains("identity or hflip"), e.getMessage());
    }
}
