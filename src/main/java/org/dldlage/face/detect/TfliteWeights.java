package org.dldlage.face.detect;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The float32 constant tensors of a TFLite model, by tensor name, read straight from the FlatBuffer
 * (schema.fbs: Model.subgraphs[0].tensors and Model.buffers). No TFLite runtime: the networks are
 * rebuilt on DJL, so only the weights and their shapes are needed.
 */
public final class TfliteWeights {

    /** A constant tensor: its TFLite shape and its values in row-major order. */
    public record Tensor(String name, int[] shape, float[] values) {}

    private static final int TYPE_FLOAT32 = 0;

    private final Map<String, Tensor> tensors;

    private TfliteWeights(Map<String, Tensor> tensors) {
        this.tensors = tensors;
    }

    public static TfliteWeights read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return parse(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new IOException("not a TFLite model: " + file.getFileName() + " (" + e.getMessage() + ")", e);
        }
    }

    static TfliteWeights parse(ByteBuffer bb) {
        if (bb.capacity() < 8 || bb.get(4) != 'T' || bb.get(5) != 'F' || bb.get(6) != 'L' || bb.get(7) != '3') {
            throw new IllegalArgumentException("missing TFL3 identifier");
        }
        int model = bb.getInt(0);
        int subgraphs = vector(bb, model, 2);
        int buffers = vector(bb, model, 4);
        if (subgraphs < 0 || buffers < 0 || bb.getInt(subgraphs) < 1) {
            throw new IllegalArgumentException("no subgraph or buffers");
        }
        int subgraph = element(bb, subgraphs, 0);
        int tensorVec = vector(bb, subgraph, 0);
        int count = tensorVec < 0 ? 0 : bb.getInt(tensorVec);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int t = element(bb, tensorVec, i);
            int typeField = field(bb, t, 1);
            int type = typeField == 0 ? TYPE_FLOAT32 : bb.get(typeField);
            int bufferField = field(bb, t, 2);
            int bufferIndex = bufferField == 0 ? 0 : bb.getInt(bufferField);
            String name = string(bb, t, 3);
            int shapeVec = vector(bb, t, 0);
            int[] shape = new int[shapeVec < 0 ? 0 : bb.getInt(shapeVec)];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = bb.getInt(shapeVec + 4 + 4 * d);
            }
            if (type != TYPE_FLOAT32 || bufferIndex <= 0 || bufferIndex >= bb.getInt(buffers) || name == null) {
                continue;
            }
            int data = vector(bb, element(bb, buffers, bufferIndex), 0);
            if (data < 0) {
                continue; // activations have an empty buffer
            }
            int nbytes = bb.getInt(data);
            long expected = 4L;
            for (int d : shape) {
                expected *= d;
            }
            if (nbytes != expected) {
                throw new IllegalArgumentException("tensor " + name + ": " + nbytes + " bytes for shape "
                        + java.util.Arrays.toString(shape));
            }
            float[] values = new float[nbytes / 4];
            bb.slice(data + 4, nbytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            out.put(name, new Tensor(name, shape, values));
        }
        return new TfliteWeights(Collections.unmodifiableMap(out));
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** The tensor of that name, with the expected shape, or an IllegalArgumentException naming what is wrong. */
    public Tensor require(String name, int... shape) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no float32 constant tensor '" + name + "' in the model");
        }
        if (shape.length > 0 && !java.util.Arrays.equals(shape, t.shape())) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + java.util.Arrays.toString(t.shape())
                    + ", expected " + java.util.Arrays.toString(shape));
        }
        return t;
    }

    // --- FlatBuffer primitives: a table starts with an soffset to its vtable; fields are found through it.

    /** Absolute position of field {@code index} of the table at {@code table}, or 0 if absent. */
    private static int field(ByteBuffer bb, int table, int index) {
        int vtable = table - bb.getInt(table);
        int vtableSize = Short.toUnsignedInt(bb.getShort(vtable));
        int slot = 4 + 2 * index;
        if (slot >= vtableSize) {
            return 0;
        }
        int offset = Short.toUnsignedInt(bb.getShort(vtable + slot));
        return offset == 0 ? 0 : table + offset;
    }

    /** Position of the length word of a vector field, or -1 if absent. */
    private static int vector(ByteBuffer bb, int table, int index) {
        int f = field(bb, table, index);
        return f == 0 ? -1 : f + bb.getInt(f);
    }

    /** The table that element {@code i} of a vector of tables points to. */
    private static int element(ByteBuffer bb, int vector, int i) {
        if (i < 0 || i >= bb.getInt(vector)) {
            throw new IndexOutOfBoundsException("element " + i);
        }
        int slot = vector + 4 + 4 * i;
        return slot + bb.getInt(slot);
    }

    private static String string(ByteBuffer bb, int table, int index) {
        int s = vector(bb, table, index);
        if (s < 0) {
            return null;
        }
        byte[] b = new byte[bb.getInt(s)];
        bb.get(s + 4, b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
