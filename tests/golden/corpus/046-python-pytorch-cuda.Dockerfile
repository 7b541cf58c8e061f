ARG CUDA=12.1.1
ARG UBUNTU=22.04
FROM nvidia/cuda:${CUDA}-cudnn8-runtime-ubuntu${UBUNTU}
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends \
        python3 python3-pip python3-venv git \
    && rm -rf /var/lib/apt/lists/*
ARG TORCH_INDEX=https://download.pytorch.org/whl/cu121
RUN --mount=type=cache,target=/root/.cache/pip \
    pip3 install torch torchvision --index-url ${TORCH_INDEX}
WORKDIR /workspace
ENV HF_HOME=/workspace/.hf TRANSFORMERS_OFFLINE=1
COPY --chmod=0644 requirements.txt .
RUN pip3 install -r requirements.txt
CMD ["python3", "train.py", "--epochs", "10"]
