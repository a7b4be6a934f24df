# The chat app (extractive engine, offline). Build: docker build -t article-qa .  See compose.yaml.
FROM python:3.11-slim

ENV PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False \
    QA_HOST=0.0.0.0 QA_PORT=7860 QA_APP_DATA=/data/app QA_MODEL_CACHE=/data/models QA_CHROMA_PATH=/data/chroma

WORKDIR /app
# The CPU build of torch first (the PyPI default pulls the CUDA build and 17 nvidia wheels); same pin.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
COPY pyproject.toml README.md ./
COPY qa ./qa
COPY data ./data
RUN pip install . && useradd --create-home qa && mkdir -p /data && chown qa /data
USER qa
# Index the bundled article and export the query encoder to ONNX at build time, so start-up is fast.
RUN QA_CHROMA_URL= qa index /app/data/*.txt

EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:7860/gradio_api/info', timeout=4)" || exit 1
CMD ["qa", "serve"]
