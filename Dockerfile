# argmap: the CLI and the dashboard, for docker-compose.yml (Neo4j 5 beside it).
# Build: docker compose build app   (or: docker build -t argmap .)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Fonts for pictures of claims in other scripts (graph/picture_fonts.py names each package; the
# slim image has none, and matplotlib ships only DejaVu Sans): without them Chinese, Japanese,
# Korean, Hindi, Bengali, Tamil, Thai and emoji are drawn as boxes. About 140 MB installed.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-noto-cjk fonts-noto-core fonts-droid-fallback fonts-symbola \
    && rm -rf /var/lib/apt/lists/*

# A normal install: prompts and the sample ship inside the package (argmap.prompts, argmap.examples).
COPY . /app
# argmap's data directory is made here, as the user's: docker-compose.yml mounts the argmap-data
# volume on it, and a fresh volume takes the owner of the directory it is mounted on (else root).
RUN pip install . \
    && useradd --create-home --uid 10001 argmap \
    && mkdir -p /home/argmap/.local/share/argmap \
    && chown -R argmap:argmap /home/argmap/.local

# Not root; the embedded store (when ARGMAP_DB is not a Neo4j URI) lives in this user's home.
USER argmap

EXPOSE 8501

# The dashboard, listening on every interface *of the container*: docker-compose.yml publishes
# it on the host's loopback only (127.0.0.1:8501).
CMD ["argmap", "dashboard", "--host", "0.0.0.0", "--port", "8501"]
