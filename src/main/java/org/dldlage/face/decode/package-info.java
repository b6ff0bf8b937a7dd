/** Bytes to an upright RGB image: bounded work, typed errors. */
package org.dldlage.face.decode;
