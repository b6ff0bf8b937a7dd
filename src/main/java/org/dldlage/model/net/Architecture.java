package org.dldlage.model.net;

import java.util.Locale;

/** The two compressed VGG16 layouts of the paper (Sec. 3.4), by their per-block channel counts. */
public enum Architecture {
    /** Compression 0.5: 32,32,M, 64,64,M, 128×3,M, 256×3,M, 256×3,M (3.7M parameters at K = 101). */
    THIN("ThinAgeNet", 0.5),
    /** Compression 0.25: 16,16,M, 32,32,M, 64×3,M, 128×3,M, 128×3,M (0.9M parameters at K = 101). */
    TINY("TinyAgeNet", 0.25);

    /** VGG16 "D": convolutions per block and channels at full width. */
    static final int[] CONVS_PER_BLOCK = {2, 2, 3, 3, 3};
    static final int[] VGG16_CHANNELS = {64, 128, 256, 512, 512};

    private final String displayName;
    private final double width;

    Architecture(String displayName, double width) {
        this.displayName = displayName;
        this.width = width;
    }

    public String displayName() {
        return displayName;
    }

    /** The width multiplier applied to VGG16's channels. */
    public double width() {
        return width;
    }

    /** Channels of block b (0..4) at this width. */
    public int channels(int block) {
        return (int) Math.round(VGG16_CHANNELS[block] * width);
    }

    /** Parses {@code thin}, {@code tiny}, {@code ThinAgeNet} or {@code TinyAgeNet}. */
    public static Architecture parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Architecture a : values()) {
            if (n.equals(a.name().toLowerCase(Locale.ROOT)) || n.equals(a.displayName.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + name + "' (expected thin or tiny)");
    }
}
