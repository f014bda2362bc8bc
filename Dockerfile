# syntax=docker/dockerfile:1
# newswire: the service image. Build from the repo root:
#   docker build -t newswire:0.1.0 .
#   docker run --rm --read-only --tmpfs /tmp -v newswire-state:/home/newswire/.cache \
#     -e NEWSWIRE_KAFKA_BOOTSTRAP=kafka:9092 -p 9108:9108 newswire:0.1.0
#
# The base image is pinned by its full version tag. Pin it by digest too
# (python:3.11.11-slim-bookworm@sha256:...) when you build: the digest could not be resolved
# where this file was written (no registry access), so it is not guessed here.
ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm

# ---- builder: build the wheel and install it with its locked dependencies into a venv ---------
FROM ${PYTHON_IMAGE} AS builder
ARG UV_VERSION=0.13.10
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
# A compiler only for dependencies that ship no wheel for this platform; it never reaches runtime.
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential=12.9 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md requirements.lock ./
COPY services ./services
# The runtime dependencies only (not the dev tools), each at the version and hashes in requirements.lock
# (uv takes the hashes from the lock used as constraints; pip cannot); then the project without resolving.
# Byte-compiled here, because the runtime filesystem is read-only (Python cannot write .pyc there).
RUN python -m pip install "uv==${UV_VERSION}" \
 && python -m pip wheel --no-deps --wheel-dir /wheels . \
 && python -m venv /opt/newswire \
 && python -m uv pip install --python /opt/newswire/bin/python --require-hashes -c requirements.lock -r pyproject.toml \
 && /opt/newswire/bin/pip install --no-deps /wheels/newswire-*.whl \
 && /opt/newswire/bin/python -m compileall -q /opt/newswire/lib \
 && /opt/newswire/bin/newswire --version

# ---- runtime: slim, non-root, read-only-filesystem friendly ------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="newswire" \
      org.opencontainers.image.description="Raw agency wires from Kafka in, IPTC ninjs story events out" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN groupadd --system --gid 10001 newswire \
 && useradd --system --uid 10001 --gid 10001 --home-dir /home/newswire --shell /usr/sbin/nologin newswire \
 && mkdir -p /home/newswire/.cache/newswire/state \
 && chown -R 10001:10001 /home/newswire
COPY --from=builder /opt/newswire /opt/newswire
# Everything the service writes lives under HOME/.cache (faust state: ~/.cache/newswire/state)
# or TMPDIR; with `--read-only` mount a volume on the first and a tmpfs on /tmp.
ENV PATH=/opt/newswire/bin:$PATH \
    HOME=/home/newswire \
    XDG_CACHE_HOME=/home/newswire/.cache \
    TMPDIR=/tmp \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NEWSWIRE_METRICS_HOST=0.0.0.0 \
    NEWSWIRE_METRICS_PORT=9108 \
    NEWSWIRE_LOG_FORMAT=json
VOLUME ["/home/newswire/.cache"]
WORKDIR /home/newswire
USER 10001:10001
EXPOSE 9108
# No curl in slim images: ask /healthz with the standard library (urlopen raises on non-2xx).
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('NEWSWIRE_METRICS_PORT', '9108'), timeout=3)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["newswire"]
CMD ["serve"]
