FROM mcr.microsoft.com/playwright:v1.44.0-jammy
WORKDIR /e2e
COPY package.json package-lock.json ./
RUN npm ci
COPY playwright.config.ts ./
COPY tests/ ./tests/
ENV CI=true PLAYWRIGHT_HTML_REPORT=/report
RUN --mount=type=tmpfs,target=/tmp \
    --mount=type=cache,target=/root/.cache/ms-playwright \
    npx playwright test || true
