#!/usr/bin/env bash
# Install the Debian packages tracker needs, only those missing. Usage: system-deps.sh runtime|test
#   runtime: what WeasyPrint needs to render PDFs (Pango, HarfBuzz's subsetter) and the fonts every
#            script is drawn with: DejaVu for Latin, Greek and Cyrillic; fonts-noto-core for Arabic,
#            Hebrew, Devanagari, Thai and the other scripts Noto covers (one family the CSS names,
#            with a real bold, instead of per-script packages of mixed designs and weights);
#            fonts-noto-cjk for Chinese, Japanese and Korean (the only CJK font with a real bold
#            and the Simplified, Traditional, Japanese and Korean glyph shapes as separate faces);
#            fontconfig's fc-list, through which tracker checks that a glyph exists for every
#            character before a PDF is written
#   test:    runtime + what the tests read reports with (poppler-utils, Chromium, Node.js for axe-core,
#            a Java runtime for the W3C Nu HTML Checker) and git (tests build small git workspaces to
#            check the data revision on the cover)
set -euo pipefail
runtime=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core fonts-noto-core fonts-noto-cjk)
test=(poppler-utils chromium nodejs npm default-jre-headless git)
case "${1:-runtime}" in
  runtime) wanted=("${runtime[@]}") ;;
  test) wanted=("${runtime[@]}" "${test[@]}") ;;
  *) echo "usage: $0 runtime|test" >&2; exit 2 ;;
esac
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# node and npm may come from elsewhere than Debian: count them present when on PATH.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=($(printf '%s\n' "${missing[@]}" | grep -vx -e nodejs -e npm || true))
fi
# so may Java (the Nu HTML Checker needs 11 or later)
if command -v java >/dev/null; then
  missing=($(printf '%s\n' "${missing[@]}" | grep -vx -e default-jre-headless || true))
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
