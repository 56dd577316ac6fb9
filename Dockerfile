# One image for the server nodes and the notifier (docker-compose.yml picks the command).
FROM node:20-bookworm-slim
WORKDIR /app
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
COPY admin-desktop/package.json admin-desktop/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:web && npm run build:admin
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "server/src/main.ts"]
