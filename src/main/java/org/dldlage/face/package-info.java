/**
 * Face detection (MTCNN) and alignment: from an uploaded photo to S×S RGB face crops that look the
 * way the model's training images looked. Uses {@code core} (and its two command-line tools
 * {@code app.EngineSetup}).
 *
 * <ul>
 *   <li>{@link org.dldlage.face.decode.ImageDecoder}: bytes → upright RGB image, bounded work, typed errors
 *       ({@link org.dldlage.face.decode.ImageDecodeException.Reason}).
 *   <li>{@link org.dldlage.face.detect.Mtcnn}: the {@link org.dldlage.face.detect.FaceDetector}, weights from
 *       {@code model-store/mtcnn/} (fetched by the build, {@code scripts/fetch-mtcnn.sh}).
 *   <li>{@link org.dldlage.face.align.Framing}: the one way a photo and a detected face become a model's S×S
 *       crop, mtcnn | box | none ({@link org.dldlage.face.align.FaceAligner}), for serving, evaluation and training;
 *       {@link org.dldlage.face.align.FaceCropper} detects and frames every face of a photo; the template comes
 *       from {@link org.dldlage.face.align.TemplateDerivation}.
 * </ul>
 *
 * Detection rate, eye error and timing on FG-NET: {@code bench.FgnetBenchmark} (test sources).
 */
package org.dldlage.face;
