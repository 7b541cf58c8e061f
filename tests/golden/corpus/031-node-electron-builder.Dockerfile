FROM electronuserland/builder:wine
WORKDIR /project
ENV ELECTRON_CACHE="/root/.cache/electron" \
    ELECTRON_BUILDER_CACHE="/root/.cache/electron-builder"
COPY package.json yarn.lock ./
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn/ yarn install --frozen-lockfile
COPY . .
RUN --mount=type=cache,target=/root/.cache/electron/ \
    --mount=type=cache,target=/root/.cache/electron-builder/ \
    yarn electron-builder --linux --win
