package org.dldlage;

import org.dldlage.face.detect.FaceDetector;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.dldlage.core.LabelSpace;
import org.dldlage.face.align.Align;
import org.dldlage.face.FaceTestData;
import org.dldlage.face.align.FaceAligner;
import org.dldlage.face.align.Framing;
import org.dldlage.face.decode.ImageDecoder;
import org.dldlage.face.detect.Mtcnn;
import org.dldlage.inference.AgeService;
import org.dldlage.inference.EstimateOptions;
import org.dldlage.inference.Estimation;
import org.dldlage.inference.PipelineMeters;
import org.dldlage.inference.batch.MicroBatcher;
import org.dldlage.inference.registry.ModelRegistry;
import org.dldlage.model.AgeModel;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.model.bundle.ModelBundles;
import org.dldlage.model.net.AgeNet;
import org.dldlage.model.net.Architecture;
import org.dldlage.support.SmallSplits;
import org.dldlage.support.TestBundles;
import org.dldlage.train.data.DetectionCache;
import org.dldlage.train.data.FaceCache;
import org.dldlage.train.data.LabelledFaces;
import org.dldlage.train.cli.TrainDataSet;
import org.dldlage.train.data.TrainingSets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faces are served as they were trained: a real UTKFace photo becomes the same network input tensor
 * through the trainer's multi-set preparation (MTCNN detections, fresh and read back from the cache
 * file by a later session, the template derived from the training faces; the bytes a batch holds with
 * augmentation off), the evaluation's preparation
 * ({@link FaceCache#preparer} with the bundle's template, as {@code evaluate} and the age-check study
 * run it) and the service's pipeline ({@link AgeService} with {@code align=mtcnn}, the crop it hands the
 * model), each then through the network's own input block.
 */
class ServedAsTrainedTest {

    @TempDir
    Path tmp;

    @Test
    void aUtkfacePhotoReachesTheNetworkAsTheSameTensorWhenTrainedEvaluatedAndServed() throws Exception {
        int size = 64;
        Path utk = SmallSplits.write(tmp.resolve("utk"), 3, 2, 0);
        try (Mtcnn mtcnn = Mtcnn.load()) {
            TrainingSets sets = TrainingSets.load(List.of(new TrainDataSet("utkface", utk, 1.0, "UTKFace terms")),
                    LabelSpace.DEFAULT, size, mtcnn, tmp.resolve("cache"), line -> {});
            FaceCache train = sets.train();
            assertThat(train.size()).as("training faces found").isPositive();
            LabelledFaces.Sample sample = train.sample(0);
            byte[] trained = train.pixels(0);
            // a later session reads the detections back from the cache file
            FaceCache resumed = TrainingSets.load(List.of(new TrainDataSet("utkface", utk, 1.0, "UTKFace terms")),
                    LabelSpace.DEFAULT, size, mtcnn, tmp.resolve("cache"), line -> {}).train();
            assertThat(resumed.sample(0).file()).isEqualTo(sample.file());

            Path bundle = tmp.resolve("tiny");
            TestBundles.write(bundle, Architecture.TINY, size, 1);
            recordTemplate(bundle, sets.template());
            BundleManifest manifest = ModelBundles.readManifest(bundle);

            byte[] evaluated = new FaceCache(List.of(sample), size,
                    FaceCache.preparer(mtcnn, Align.MTCNN, manifest.alignmentTemplate(), size)).pixels(0);

            ModelRegistry registry = startRegistry(bundle);
            try {
                AgeService service = service(registry, mtcnn);
                Estimation e = service.estimate(Files.readAllBytes(sample.file()),
                        new EstimateOptions(Align.MTCNN, 1, FaceDetector.DEFAULT_MIN_FACE_SIZE, true, null, true));
                byte[] served = e.faces().get(0).explanation().crop();

                AgeNet network = registry.runtime(null).model().network();
                float[] input = networkInput(network, served, size);
                assertThat(networkInput(network, evaluated, size)).as("evaluation = serving").containsExactly(input);
                assertThat(networkInput(network, trained, size)).as("training = serving").containsExactly(input);
                assertThat(networkInput(network, resumed.pixels(0), size)).as("training from cached detections = serving")
                        .containsExactly(input);
            } finally {
                registry.close(Duration.ofSeconds(10));
            }
        }
    }

    /**
     * A user's face crop framed unlike the template (APPA-REAL's tight crops) sent with {@code align=none} to a
     * model trained on aligned faces: the service finds the crop's own face again and the network sees what
     * {@code align=mtcnn} gives it and what the report's crops row scores (from cached detections); the answer
     * says so ({@code alignment=mtcnn}, the box inside the crop). An image without a face is taken as sent.
     */
    @Test
    void aTightCropSentWithAlignNoneIsFramedAsTheModelWasTrained() throws Exception {
        int size = 64;
        List<Path> crops;
        try (var files = Files.list(FaceTestData.appaReal().resolve("images"))) {
            crops = files.filter(f -> f.getFileName().toString().startsWith("valid-")).sorted().limit(6).toList();
        }
        Path bundle = tmp.resolve("tiny");
        TestBundles.write(bundle, Architecture.TINY, size, 1);
        recordTemplate(bundle, FaceAligner.UTKFACE_TEMPLATE);
        BundleManifest manifest = ModelBundles.readManifest(bundle);
        assertThat(manifest.trainedOnAlignedFaces()).isTrue();
        Mtcnn mtcnn = FaceTestData.mtcnn();
        DetectionCache cache = DetectionCache.mtcnn(tmp.resolve("cache"), crops.get(0).getParent(), crops, mtcnn, line -> {});
        FaceCache reported = new FaceCache(crops.stream().map(f -> new LabelledFaces.Sample(f, 30, Double.NaN, "val", null, null)).toList(), size,
                cache.preparer(new Framing(Align.NONE, size, manifest.alignmentTemplate(), FaceAligner.DEFAULT_BOX_MARGIN)));
        assertThat(reported.size()).as("crops are never dropped").isEqualTo(crops.size());
        java.util.Map<Path, byte[]> reportedCrop = new java.util.HashMap<>();
        for (int j = 0; j < reported.size(); j++) {
            reportedCrop.put(reported.sample(j).file(), reported.pixels(j));
        }
        ModelRegistry registry = startRegistry(bundle);
        try {
            AgeService service = service(registry, mtcnn);
            int reframed = 0;
            for (int i = 0; i < crops.size(); i++) {
                byte[] photo = Files.readAllBytes(crops.get(i));
                Estimation.FaceAge none = service.estimate(photo,
                        new EstimateOptions(Align.NONE, 1, FaceDetector.DEFAULT_MIN_FACE_SIZE, true, null, true)).faces().get(0);
                assertThat(none.explanation().crop()).as("served = reported, " + crops.get(i)).isEqualTo(reportedCrop.get(crops.get(i)));
                if (none.alignment().equals("mtcnn")) {
                    reframed++;
                    Estimation.FaceAge mtcnnFace = service.estimate(photo,
                            new EstimateOptions(Align.MTCNN, 1, FaceDetector.DEFAULT_MIN_FACE_SIZE, true, null, true)).faces().get(0);
                    assertThat(none.explanation().crop()).as("align=none re-framed = align=mtcnn").isEqualTo(mtcnnFace.explanation().crop());
                    assertThat(none.detection()).as("the re-found face is in the answer").isNotNull();
                    assertThat(none.age()).isEqualTo(mtcnnFace.age());
                } else {
                    assertThat(none.alignment()).isEqualTo("none");
                    assertThat(none.explanation().crop()).isEqualTo(FaceAligner.none(FaceTestData.read(crops.get(i)), size));
                }
            }
            assertThat(reframed).as("APPA-REAL crops whose own face was found").isGreaterThanOrEqualTo(crops.size() - 1);
            assertThat(cache.ownFaces(crops)).isEqualTo(reframed);

            // no face in it: the image as sent, resized, and the answer says so
            BufferedImage grey = new BufferedImage(160, 160, BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = grey.createGraphics();
            g.setColor(new java.awt.Color(128, 120, 110));
            g.fillRect(0, 0, 160, 160);
            g.dispose();
            java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(grey, "png", png);
            Estimation.FaceAge asSent = service.estimate(png.toByteArray(),
                    new EstimateOptions(Align.NONE, 1, FaceDetector.DEFAULT_MIN_FACE_SIZE, true, null, true)).faces().get(0);
            assertThat(asSent.alignment()).isEqualTo("none");
            assertThat(asSent.detection()).isNull();
            assertThat(asSent.explanation().crop()).isEqualTo(FaceAligner.none(grey, size));
        } finally {
            registry.close(Duration.ofSeconds(10));
        }
    }

    /** The bundle served alone, loaded and ready. */
    private static ModelRegistry startRegistry(Path bundle) {
        ModelRegistry registry = new ModelRegistry(ModelRegistry.single(bundle), null, AgeModel::load, Device::cpu,
                new MicroBatcher.Settings(1, Duration.ZERO, 4), false, new PipelineMeters(new SimpleMeterRegistry()),
                Duration.ofSeconds(10));
        registry.discover();
        registry.startDefault();
        return registry;
    }

    /** The service's pipeline as it is configured by default (crops sent with align=none are re-framed). */
    private static AgeService service(ModelRegistry registry, Mtcnn mtcnn) {
        return new AgeService(registry, new ImageDecoder(), mtcnn, true, FaceAligner.DEFAULT_BOX_MARGIN,
                new PipelineMeters(new SimpleMeterRegistry()), 1, Duration.ofSeconds(30), 4);
    }

    /** The bundle's {@code alignment}: MTCNN onto the template its training faces were warped to. */
    private static void recordTemplate(Path bundle, double[][] template) throws Exception {
        Path file = bundle.resolve(ModelBundles.MANIFEST);
        ObjectNode json = (ObjectNode) ModelBundles.JSON.readTree(file.toFile());
        json.set("alignment", ModelBundles.JSON.valueToTree(new BundleManifest.Alignment("mtcnn", List.of(template))));
        ModelBundles.JSON.writeValue(file.toFile(), json);
    }

    /** What the network's input block makes of one S×S RGB crop: the normalised 3×S×S planes. */
    private static float[] networkInput(AgeNet network, byte[] rgb, int size) {
        try (NDManager m = NDManager.newBaseManager()) {
            var x = m.create(ByteBuffer.wrap(rgb), new Shape(1, size, size, 3), DataType.UINT8);
            return network.input().forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
        }
    }
}
