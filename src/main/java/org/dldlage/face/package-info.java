/**
 * Face detection (MTCNN) and alignment: from an uploaded photo to S×S RGB face crops that look the
 * way the model's training images looked. Depends on {@code core}/{@code model} only.
 *
 * <ul>
 *   <li>{@link org.dldlage.face.ImageDecoder}: bytes → upright RGB image, bounded work, typed errors
 *       ({@link org.dldlage.face.ImageDecodeException.Reason}).
 *   <li>{@link org.dldlage.face.Mtcnn}: the {@link org.dldlage.face.FaceDetector}, weights from
 *       {@code model-store/mtcnn/} (fetched by the build, {@code scripts/fetch-mtcnn.sh}).
 *   <li>{@link org.dldlage.face.FaceAligner} and {@link org.dldlage.face.FaceCropper}: mtcnn | box | none
 *       crops; the template comes from {@link org.dldlage.face.TemplateDerivation}.
 *   <li>{@link org.dldlage.face.FgnetBenchmark}: detection rate, eye error and timing on FG-NET.
 * </ul>
 */
package org.dldlage.face;
