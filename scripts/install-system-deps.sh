#!/usr/bin/env bash
# Install the Debian packages gongkai needs, only those missing. Never downloads a browser
# build of its own: Chromium comes from Debian's package and Playwright is pointed at it.
#   chromium                      Playwright-driven pages (anti-crawler challenges, JS lists, browser tests)
#   libreoffice-*-nogui           .doc/.docx/.xls/.xlsx/.wps/.et → PDF before extraction
#   fonts-noto-cjk fonts-wqy-zenhei  CJK fonts for LibreOffice conversion and screenshots
#   poppler-utils                 pdftotext/pdftoppm (benchmarks, fixtures)
#   redis-server                  distributed crawl tests
#   gcc python3-dev               extract/_glyphs.c, the page layer's per-glyph loop, built by pip install
set -euo pipefail

packages=(chromium libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk
          fonts-wqy-zenhei poppler-utils redis-server gcc python3-dev)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing Debian packages: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
