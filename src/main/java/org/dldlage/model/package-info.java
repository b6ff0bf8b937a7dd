/**
 * The DLDL-v2 networks (ThinAgeNet, TinyAgeNet), the training methods compared in the paper's
 * Table 3, and model bundles: what a trained model is on disk and how it is loaded. Uses DJL; knows
 * nothing about Spring or HTTP.
 */
package org.dldlage.model;
