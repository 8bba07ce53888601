# Shared by scripts/serve and scripts/test (sourced, not run). Installs Hiraku into .venv.
#
# ensure_venv ""     -> .venv with Hiraku installed editable
# ensure_venv test   -> the same plus the `test` extra (pytest, ruff, playwright, ...)
# The install is skipped when a stamp file in .venv already holds the hash of pyproject.toml
# and the C sources.

as_root() {
  if [ "$(id -u)" = "0" ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  echo "hiraku: apt-get install $*" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

ensure_venv() {
  local extra="$1"
  if [ ! -x .venv/bin/python ]; then
    if ! python3.11 -m venv .venv 2>/dev/null; then
      # Debian ships venv's ensurepip in a separate package.
      rm -rf .venv
      apt_install python3.11-venv
      python3.11 -m venv .venv
    fi
  fi
  local want
  # the C sources too: an edited extension is rebuilt by the next install
  local sources=(pyproject.toml)
  shopt -s nullglob
  sources+=(hiraku/ingest/parsing/*.c)
  shopt -u nullglob
  want="$(cat "${sources[@]}" | sha256sum | cut -d' ' -f1)"
  # A `test` install also satisfies a plain one.
  for stamp in ".venv/.hiraku-installed-$extra" .venv/.hiraku-installed-test; do
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
      return 0
    fi
  done
  echo "hiraku: installing into .venv (pip install -e .${extra:+[$extra]}) ..." >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extra:+[$extra]}"
  echo "$want" > ".venv/.hiraku-installed-$extra"
}
