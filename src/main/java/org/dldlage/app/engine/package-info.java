/** The DJL/PyTorch engine's process-wide settings, applied before it loads: offline, threads, OpenMP spin, native allocator. */
package org.dldlage.app.engine;
