#!/usr/bin/env bash
# Debian packages the project needs: Tesseract with Swedish data (OCR of scanned PDF pages),
# DejaVu fonts (the tests write PDFs with å ä ö) and Chromium (the browser tests drive it with
# Playwright; Playwright never downloads a browser of its own here) and nginx (the reverse proxy
# in front of `assistant serve --workers N`). Installs only what is missing.
set -euo pipefail
missing=()
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
tesseract --list-langs 2>/dev/null | grep -qx swe || missing+=(tesseract-ocr-swe)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Saknade Debian-paket: ${missing[*]}. Installera dem som root (apt-get install ${missing[*]});" \
       "utan dem rapporteras skannade PDF-sidor i stället för att OCR-läsas och webbläsartesterna hoppas över." >&2
  exit 0
fi
echo "Installerar Debian-paket: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
