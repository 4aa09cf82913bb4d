#!/usr/bin/env bash
# Makes sure the command-line tools the tests use are installed:
#   pdftotext, pdftoppm (poppler-utils): read certificate PDFs back as text and images.
#   /usr/bin/chromium (Debian's chromium): the staff portal's browser tests drive it
#   with Playwright's Python API (never `playwright install`: no browser downloads).
#   ffmpeg, ffprobe (ffmpeg): WhatsApp voice notes to WAV, spoken answers to OGG/Opus.
#   espeak-ng: the local Hindi voice of spoken answers (and the tests' recordings).
#   haproxy (Debian's): the load balancer in front of the replicas in the fault tests
#   and the load benchmark (lokseva/devtools/cluster.py).
# Installs them with apt-get when run as root (CI, fresh machines); otherwise says
# what to install.
set -uo pipefail
missing=()
command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null || missing+=(poppler-utils)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || missing+=(ffmpeg)
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "==> installing ${missing[*]}"
  # Another apt-get may hold the lock for a while (a shared machine): wait for it.
  for _ in $(seq 60); do
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 && exit 0
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 && exit 0
    sleep 5
  done
fi
echo "error: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}"
exit 1
