# Sorotan in a container: the dashboard by default; `python -m analysis watch ...` for the watcher.
# compose.yaml runs both on one store volume (see the README's "Running it for a newsroom").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    SOROTAN_STORE=/store

WORKDIR /app
COPY requirements.txt ./
# BERTopic with --no-deps, as the Makefile does: its metadata would pull a multi-GB torch
RUN pip install --no-cache-dir -r requirements.txt \
    && pip install --no-cache-dir --no-deps bertopic==0.17.4

COPY app.py ./
COPY .streamlit ./.streamlit
COPY analysis ./analysis
COPY data ./data
COPY views ./views
# UMAP's numba code compiled once here, not at every build (analysis/topics/compiled.py)
RUN python -m analysis.topics.compiled

RUN useradd --create-home --uid 1000 sorotan && mkdir -p /store && chown sorotan /store
USER sorotan
VOLUME /store
EXPOSE 8501

CMD ["python", "-m", "streamlit", "run", "app.py", "--server.address", "0.0.0.0", "--server.port", "8501", "--server.headless", "true"]
