package org.dldlage.train.loop;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.dldlage.model.bundle.ModelBundles;
import org.dldlage.train.report.EpochRecord;

/**
 * A run's checkpoint folder: the parameters and Adam's moments after the last finished epoch, and
 * {@code state.json}, the history of every epoch so far (which also says how many there were).
 */
public final class Checkpoints {

    /** The checkpoint folder's name inside a run's output folder. */
    public static final String DIR = "checkpoint";
    private static final String STATE = "state.json";

    private Checkpoints() {}

    /** Whether {@code ckpt} holds a complete checkpoint to resume from. */
    static boolean exists(Path ckpt) {
        return Files.exists(ckpt.resolve(STATE));
    }

    /**
     * Writes epoch-numbered parameter and optimizer files, then moves {@code state.json} into place:
     * a kill at any moment leaves the previous complete checkpoint, never a mix of two epochs.
     */
    static void save(Path ckpt, Block block, AdamState adam, List<EpochRecord> history) throws IOException {
        int epoch = history.size();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(paramsFile(ckpt, epoch))))) {
            block.saveParameters(out);
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(optimizerFile(ckpt, epoch))))) {
            adam.save(out);
        }
        Path state = ckpt.resolve(STATE + ".tmp");
        ModelBundles.JSON.writeValue(state.toFile(), history);
        Files.move(state, ckpt.resolve(STATE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(paramsFile(ckpt, epoch - 1));
        Files.deleteIfExists(optimizerFile(ckpt, epoch - 1));
    }

    /** Loads the last checkpoint into {@code block} and {@code adam}, adds its history; returns the epochs done. */
    static int restore(Path ckpt, Block block, NDManager manager, AdamState adam, List<EpochRecord> history) throws IOException {
        history.addAll(history(ckpt));
        int epoch = history.size();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(paramsFile(ckpt, epoch))))) {
            block.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException("checkpoint " + ckpt + " does not fit this network: " + e.getMessage(), e);
        }
        // loading replaces the parameter arrays: gradients must be re-attached to the new ones
        List<NDArray> trainable = new ArrayList<>();
        for (Pair<String, Parameter> param : block.getParameters()) {
            if (param.getValue().requiresGradient()) {
                param.getValue().getArray().setRequiresGradient(true);
                trainable.add(param.getValue().getArray());
            }
        }
        adam.rebind(trainable);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(optimizerFile(ckpt, epoch))))) {
            adam.load(in);
        }
        return epoch;
    }

    /** Every finished epoch's record (none without a checkpoint). */
    public static List<EpochRecord> history(Path ckpt) throws IOException {
        Path state = ckpt.resolve(STATE);
        if (!Files.exists(state)) {
            return List.of();
        }
        return ModelBundles.JSON.readValue(state.toFile(), new TypeReference<List<EpochRecord>>() {});
    }

    /** The parameters after {@code epoch} epochs. */
    static Path paramsFile(Path ckpt, int epoch) {
        return ckpt.resolve(String.format("epoch-%04d.params", epoch));
    }

    private static Path optimizerFile(Path ckpt, int epoch) {
        return ckpt.resolve(String.format("epoch-%04d.adam", epoch));
    }
}
