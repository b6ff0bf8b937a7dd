/** Model bundles: what a trained model is on disk (model.json, age.params) and how it is read, verified and written. */
package org.dldlage.model.bundle;
