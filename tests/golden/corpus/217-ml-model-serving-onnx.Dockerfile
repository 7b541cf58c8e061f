FROM python:3.11-slim AS export
RUN --mount=type=cache,target=/root/.cache/pip pip install torch --index-url https://download.pytorch.org/whl/cpu && pip install onnx
WORKDIR /m
COPY export.py .
RUN python export.py --out /m/model.onnx

FROM mcr.microsoft.com/onnxruntime/server:latest AS serve
COPY --from=export /m/model.onnx /models/model.onnx
ENV MODEL_PATH=/models/model.onnx
EXPOSE 8001
CMD ["--model_path", "/models/model.onnx", "--http_port", "8001"]
