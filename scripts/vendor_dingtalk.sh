#!/usr/bin/env bash
# Rebuilds static/vendor/dingtalk-jsapi/dingtalk.js: the dingtalk-jsapi npm package (CommonJS only) as one
# browser IIFE exposing window.dd, built with esbuild in a temporary directory (no node_modules in the repo).
set -euo pipefail
VERSION="${DINGTALK_JSAPI_VERSION:-3.2.9}"
ESBUILD_VERSION="${ESBUILD_VERSION:-0.24.2}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/static/vendor/dingtalk-jsapi"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts "dingtalk-jsapi@$VERSION" >/dev/null
npm install --no-audit --no-fund "esbuild@$ESBUILD_VERSION" >/dev/null
echo 'module.exports = require("dingtalk-jsapi");' > entry.js
npx esbuild entry.js --bundle --minify --format=iife --global-name=dd --platform=browser \
  --legal-comments=inline --outfile=dingtalk.js
mkdir -p "$OUT"
cp dingtalk.js "$OUT/dingtalk.js"
cp node_modules/dingtalk-jsapi/LICENSE* "$OUT/LICENSE" 2>/dev/null || \
  node -e 'const p=require("./node_modules/dingtalk-jsapi/package.json");console.log(`dingtalk-jsapi ${p.version}\nLicense: ${p.license}\n(no LICENSE file in the package; see its package.json)`)' > "$OUT/LICENSE"
echo "dingtalk-jsapi $VERSION (esbuild $ESBUILD_VERSION, IIFE, global dd)" > "$OUT/VERSION"
echo "wrote $OUT"
