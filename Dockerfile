# Untested here (no Docker engine on the development machines); see README "Deployment".
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY nhacviec nhacviec
COPY bot bot
COPY jobs jobs
COPY models models
COPY ingest ingest
COPY services services
RUN pip install --no-cache-dir .
ENV DATA_DIR=/data
VOLUME /data
CMD ["nhacviec", "run"]
