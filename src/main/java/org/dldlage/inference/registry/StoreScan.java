package org.dldlage.inference.registry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds new and changed bundles in the source and loads them. On a timed scan a bundle loads once
 * two scans in a row see the same fingerprint (its files are done being copied); asked to reload,
 * it loads at once. Runs on the registry's thread only.
 */
final class StoreScan {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final ModelRegistry.BundleSource source;
    private final Map<String, ModelEntry> entries;
    private final Versions versions;
    /** Fingerprints seen by the previous scan: a bundle loads once two scans in a row agree (done copying). */
    private final Map<String, String> settling = new LinkedHashMap<>();

    /** @param entries the registry's models, which new bundles join */
    StoreScan(ModelRegistry.BundleSource source, Map<String, ModelEntry> entries, Versions versions) {
        this.source = source;
        this.entries = entries;
        this.versions = versions;
    }

    /**
     * @param now load what changed without waiting for its files to settle
     * @param only a model to reload even if unchanged, or null for every new or changed bundle
     */
    List<ModelRegistry.ReloadOutcome> scan(boolean now, String only) {
        List<ModelRegistry.ReloadOutcome> outcomes = new ArrayList<>();
        try {
            Map<String, Path> found = source.bundles();
            for (ModelEntry e : entries.values()) {
                boolean present = found.containsKey(e.name);
                if (e.present && !present) {
                    log.warn("Model {}: bundle folder {} is gone; the loaded version keeps serving", e.name, e.path);
                }
                e.present = present;
            }
            for (Map.Entry<String, Path> b : found.entrySet()) {
                String name = b.getKey();
                if (only != null && !only.equals(name)) {
                    continue;
                }
                String fp = BundleFolders.fingerprint(b.getValue());
                ModelEntry e = entries.get(name);
                boolean changed = e == null || !fp.equals(e.attempted) || only != null;
                if (!changed) {
                    settling.remove(name);
                    outcomes.add(new ModelRegistry.ReloadOutcome(name, ModelRegistry.ReloadOutcome.Result.UNCHANGED,
                            e.current == null ? null : e.current.version(), null));
                    continue;
                }
                if (!now && !fp.equals(settling.put(name, fp))) {
                    continue; // still being written, or just appeared: look again next scan
                }
                settling.remove(name);
                if (e == null) {
                    e = new ModelEntry(name, b.getValue());
                    entries.put(name, e);
                    log.info("New model bundle {} in {}", name, source.describe());
                }
                e.path = b.getValue();
                String reason = versions.load(e, fp, false);
                outcomes.add(new ModelRegistry.ReloadOutcome(name, reason == null ? ModelRegistry.ReloadOutcome.Result.LOADED
                        : ModelRegistry.ReloadOutcome.Result.FAILED, e.current == null ? null : e.current.version(), reason));
            }
            settling.keySet().retainAll(found.keySet());
        } catch (RuntimeException e) {
            log.error("Model scan failed", e); // the scheduler would stop scanning if this escaped
        }
        return outcomes;
    }
}
