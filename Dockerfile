# Untested here (no Docker engine on the development machines); see README "Deployment".
FROM python:3.11-slim
# OCR for scanned dispatches and LibreOffice for legacy .doc (both optional for the bot).
RUN apt-get update && apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-vie poppler-utils libreoffice-writer-nogui \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md constraints.txt ./
COPY nhacviec nhacviec
COPY bot bot
COPY jobs jobs
COPY models models
COPY ingest ingest
COPY services services
RUN pip install --no-cache-dir -c constraints.txt .
ENV DATA_DIR=/data
VOLUME /data
CMD ["nhacviec", "run"]
