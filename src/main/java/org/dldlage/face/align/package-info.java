/** From a detected face to the S×S crop the model was trained on: mtcnn | box | none, and the landmark template. */
package org.dldlage.face.align;
