# One image for the API, the UI and the one-shot indexer of compose.yaml (they differ only by command).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    PLEDGES_DATA_DIR=/data

WORKDIR /app

# torch first, from the CPU index: otherwise the project's `torch==2.13.0` pin would pull a multi-GB CUDA build.
RUN pip install "torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu

# Dependencies before the code, so editing the code does not reinstall them.
COPY pyproject.toml README.md ./
COPY models ./models
COPY indexer ./indexer
COPY search_api ./search_api
COPY ui ./ui
RUN pip install ".[opensearch]"

# The bundled corpus that `pledges index` reads by default.
COPY data/corpus ./data/corpus

RUN useradd --create-home --uid 10001 pledges && mkdir -p /data && chown pledges /data
USER pledges
VOLUME ["/data"]
EXPOSE 8000 8501

CMD ["pledges", "serve", "--host", "0.0.0.0", "--port", "8000"]
