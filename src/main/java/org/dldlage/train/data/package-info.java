/**
 * What training and evaluation read: labelled face folders and their splits, faces decoded once
 * ({@link org.dldlage.train.data.FaceCache}), cached MTCNN detections, several sets as one, and the
 * authors' augmentation.
 */
package org.dldlage.train.data;
