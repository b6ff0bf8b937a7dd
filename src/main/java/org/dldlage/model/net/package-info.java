/** The DLDL-v2 networks: ThinAgeNet and TinyAgeNet as DJL blocks (Table 1), with hybrid pooling. */
package org.dldlage.model.net;
