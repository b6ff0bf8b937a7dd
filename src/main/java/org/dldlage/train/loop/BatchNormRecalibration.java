package org.dldlage.train.loop;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.dldlage.train.data.FaceCache;

/**
 * Batch-norm statistics measured again on clean training faces ("precise BN", Wu &amp; Johnson, "Rethinking
 * 'Batch' in BatchNorm", 2021): the running means and variances a training epoch leaves are averages over
 * augmented batches (grey, blurred, rotated, colour-jittered) taken while the weights moved, unlike the aligned
 * faces the service sends. Forward passes in training mode over random un-augmented training faces, without a
 * gradient, replace them (BatchNorm's running average, momentum 0.9, so the last ten batches count most) and
 * leave every trained weight as it was.
 */
public final class BatchNormRecalibration {

    /** Faces per forward pass: large batches make each pass's statistics close to the population's. */
    public static final int BATCH = 256;

    private BatchNormRecalibration() {}

    /**
     * Runs {@code faces} (rounded up to whole batches) random faces of {@code train}, drawn with replacement
     * from {@code rng}, through {@code block} in training mode.
     */
    public static void run(Block block, FaceCache train, int faces, SplittableRandom rng, NDManager manager) {
        int s = train.inputSize();
        int batch = Math.min(BATCH, faces);
        ByteBuffer pixels = ByteBuffer.allocateDirect(batch * s * s * 3).order(ByteOrder.nativeOrder());
        for (int done = 0; done < faces; done += batch) {
            pixels.clear();
            for (int i = 0; i < batch; i++) {
                pixels.put(train.pixels(rng.nextInt(train.size())));
            }
            pixels.flip();
            try (NDManager step = manager.newSubManager()) {
                // training mode normalises by the batch's statistics and folds them into the running ones
                block.forward(new ParameterStore(step, false),
                        new NDList(step.create(pixels, new Shape(batch, s, s, 3), DataType.UINT8)), true);
            }
        }
    }
}
