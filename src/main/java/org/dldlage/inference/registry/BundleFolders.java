package org.dldlage.inference.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dldlage.model.bundle.ModelBundles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where the bundles are ({@link ModelRegistry.BundleSource}) and what identifies one version of a bundle. */
final class BundleFolders {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private BundleFolders() {}

    /** Every sub-folder of {@code store} with a {@code model.json}, or only the {@code names} listed (when not empty). */
    record Store(Path store, List<String> names) implements ModelRegistry.BundleSource {
        @Override
        public Map<String, Path> bundles() {
            Map<String, Path> out = new LinkedHashMap<>();
            if (!names.isEmpty()) {
                names.forEach(n -> {
                    if (Files.isRegularFile(store.resolve(n).resolve(ModelBundles.MANIFEST))) {
                        out.put(n, store.resolve(n));
                    }
                });
                return out;
            }
            try (Stream<Path> dirs = Files.list(store)) {
                // folders without model.json (model-store/mtcnn, half-copied folders) are not bundles
                dirs.filter(d -> Files.isRegularFile(d.resolve(ModelBundles.MANIFEST)))
                        .sorted().forEach(d -> out.put(d.getFileName().toString(), d));
            } catch (IOException e) {
                log.warn("Cannot list the model store {}: {}", store.toAbsolutePath(), e.toString());
            }
            return out;
        }

        @Override
        public String describe() {
            return store.toString();
        }
    }

    /** One bundle folder; its in-place changes are still new versions. */
    record Single(Path bundle) implements ModelRegistry.BundleSource {
        @Override
        public Map<String, Path> bundles() {
            return Files.isRegularFile(bundle.resolve(ModelBundles.MANIFEST))
                    ? Map.of(bundle.getFileName().toString(), bundle) : Map.of();
        }

        @Override
        public String describe() {
            return bundle.toString();
        }
    }

    /**
     * What identifies a version of a bundle: the SHA-256 of {@code model.json} (which holds the
     * parameters' checksum) and the name, size and modification time of every other file in the folder.
     */
    static String fingerprint(Path dir) {
        StringBuilder s = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (Files.isRegularFile(f)) {
                    s.append(f.getFileName()).append(':').append(Files.size(f)).append(':')
                            .append(Files.getLastModifiedTime(f).toMillis()).append(';');
                }
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(dir.resolve(ModelBundles.MANIFEST)));
            sha.update(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            return "unreadable:" + e; // a folder being replaced: the next scan sees it again
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
