/**
 * Face detection (MTCNN) and alignment: from an uploaded photo to S×S RGB face crops that look the
 * way the model's training images looked. Depends on {@code core}/{@code model} only.
 */
package org.dldlage.face;
