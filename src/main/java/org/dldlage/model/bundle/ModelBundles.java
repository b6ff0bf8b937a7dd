package org.dldlage.model.bundle;

import org.dldlage.model.net.AgeNet;
import org.dldlage.model.method.Methods;
import org.dldlage.model.method.TrainingMethod;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads and writes model bundles: a folder with {@code model.json} ({@link BundleManifest}) and the
 * DJL parameter file it names, checked by size and SHA-256 before the engine reads it.
 */
public final class ModelBundles {

    public static final String MANIFEST = "model.json";
    public static final String PARAMETERS = "age.params";

    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelBundles() {}

    /** Builds the network a manifest describes, its input block normalising as the manifest says (parameters not yet initialised). */
    public static AgeNet network(BundleManifest m, TrainingMethod method) {
        return AgeNet.builder()
                .optArchitecture(m.architectureEnum())
                .optHybridPooling(m.hybridPooling())
                .setOutputs(method.outputs())
                .setNormalization(m.normalization().mean(), m.normalization().std())
                .build();
    }

    /** The method a manifest names, over its label space. */
    public static TrainingMethod method(BundleManifest m) {
        return Methods.create(m.method(), m.labelSpace(), m.lambda());
    }

    /** Number of trainable values (conv weights, BN γ/β, FC weight and bias) of an initialised block. */
    public static long trainableCount(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }

    /**
     * Writes a bundle: the block's parameters, then {@code model.json} with their checksum. Files are
     * written beside the target and moved into place, so a crash never leaves a half-written bundle.
     *
     * @return the manifest as written
     */
    public static BundleManifest write(Path dir, Block block, BundleManifest manifest) throws IOException {
        Files.createDirectories(dir);
        Path params = dir.resolve(PARAMETERS);
        Path tmp = dir.resolve(PARAMETERS + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            block.saveParameters(out);
        }
        Files.move(tmp, params, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        BundleManifest.ParameterFile file = new BundleManifest.ParameterFile(
                PARAMETERS, Files.size(params), sha256(params), trainableCount(block));
        BundleManifest written = new BundleManifest(
                BundleManifest.FORMAT_VERSION, dir.getFileName().toString(), manifest.architecture(),
                manifest.width(), manifest.hybridPooling(), manifest.inputSize(), manifest.labels(),
                manifest.method(), manifest.lambda(), manifest.normalization(), manifest.alignment(),
                manifest.training(), manifest.testMetrics(), manifest.createdAt(), file, manifest.calibration());
        writeManifest(dir, written);
        return written;
    }

    /** Replaces {@code model.json} (e.g. to add test metrics or an alignment template). */
    public static void writeManifest(Path dir, BundleManifest manifest) throws IOException {
        Path tmp = dir.resolve(MANIFEST + ".tmp");
        JSON.writeValue(tmp.toFile(), manifest);
        Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads and validates {@code model.json}; every problem is a {@link BundleException} naming the bundle. */
    public static BundleManifest readManifest(Path dir) {
        Path file = dir.resolve(MANIFEST);
        BundleManifest m;
        try {
            m = JSON.readValue(file.toFile(), BundleManifest.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new BundleException("model bundle " + dir + ": no " + MANIFEST + " (is this a bundle folder?)");
        } catch (IOException e) {
            throw new BundleException("model bundle " + dir + ": " + MANIFEST + " is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        List<String> missing = new ArrayList<>();
        if (m.formatVersion() != BundleManifest.FORMAT_VERSION) {
            throw new BundleException("model bundle " + dir + ": format version " + m.formatVersion()
                    + " is not supported (expected " + BundleManifest.FORMAT_VERSION + ")");
        }
        if (m.architecture() == null) missing.add("architecture");
        if (m.inputSize() <= 0) missing.add("inputSize");
        if (m.labels() == null) missing.add("labels");
        if (m.method() == null) missing.add("method");
        if (m.normalization() == null) missing.add("normalization");
        if (m.parameters() == null || m.parameters().file() == null || m.parameters().sha256() == null) {
            missing.add("parameters");
        }
        if (!missing.isEmpty()) {
            throw new BundleException("model bundle " + dir + ": " + MANIFEST + " lacks " + String.join(", ", missing));
        }
        try {
            network(m, method(m)); // architecture, labels, method and normalisation as one network
        } catch (IllegalArgumentException e) {
            throw new BundleException("model bundle " + dir + ": " + e.getMessage(), e);
        }
        if (m.inputSize() % 32 != 0) {
            throw new BundleException("model bundle " + dir + ": inputSize " + m.inputSize() + " is not divisible by 32");
        }
        return m;
    }

    /**
     * Loads a bundle's parameters into a freshly built network after checking the file's size and
     * checksum, then checks every parameter's shape against the manifest's architecture.
     */
    public static AgeNet loadNetwork(Path dir, BundleManifest m, NDManager manager) {
        Path params = dir.resolve(m.parameters().file());
        try {
            long size = Files.size(params);
            if (size != m.parameters().bytes()) {
                throw new BundleException("model bundle " + dir + ": parameter file " + params.getFileName()
                        + " has " + size + " bytes, manifest says " + m.parameters().bytes() + " (truncated or replaced)");
            }
            String sum = sha256(params);
            if (!sum.equalsIgnoreCase(m.parameters().sha256())) {
                throw new BundleException("model bundle " + dir + ": parameter file " + params.getFileName()
                        + " has SHA-256 " + sum + ", manifest says " + m.parameters().sha256());
            }
        } catch (NoSuchFileException e) {
            throw new BundleException("model bundle " + dir + ": parameter file " + params.getFileName() + " is missing");
        } catch (IOException e) {
            throw new BundleException("model bundle " + dir + ": cannot read " + params.getFileName() + ": " + e.getMessage(), e);
        }
        TrainingMethod method = method(m);
        AgeNet block = network(m, method);
        block.initialize(manager, DataType.FLOAT32, AgeNet.inputShape(m.inputSize()));
        List<Shape> expected = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            expected.add(p.getValue().getArray().getShape());
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(params)))) {
            block.loadParameters(manager, in);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new BundleException("model bundle " + dir + ": parameters do not fit a " + m.architecture()
                    + " with " + method.outputs() + " outputs: " + e.getMessage(), e);
        }
        int i = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Shape actual = p.getValue().getArray().getShape();
            if (!actual.equals(expected.get(i++))) {
                throw new BundleException("model bundle " + dir + ": parameter " + p.getKey() + " has shape " + actual
                        + ", a " + m.architecture() + " needs " + expected.get(i - 1));
            }
        }
        return block;
    }

    /** Hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
