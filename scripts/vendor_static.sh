#!/usr/bin/env bash
# Rebuild static/vendor/ (front-end libraries served by Django, no CDN) from
# the npm registry.
#
# Maintainer tool only: the build/deploy never runs this; the vendored files
# are committed. Needs bash, npm (with node) and python3.
#
#   scripts/vendor_static.sh             rebuild static/vendor/<lib>-<version>/ + MANIFEST.json
#   scripts/vendor_static.sh --outdated  show pinned vs newest version allowed by each range
#
# To upgrade a library: edit its version in LIBS below, run the script, then
# look over `git diff --stat static/vendor` and commit. The run is idempotent: with
# unchanged pins it reproduces byte-identical files and MANIFEST.json.
# static/vendor/README.md is hand-written and is not touched by this script.
set -euo pipefail

# name|pinned version|allowed range (only used by --outdated)|licence files[|shared folder]
# The optional shared folder puts several packages of one project side by side (Workbox ships
# one npm package per module; the service worker imports them from one folder).
LIBS=(
  "bootstrap|5.3.9|~5.3|LICENSE"
  "bootstrap-icons|1.13.2|^1|LICENSE"
  "echarts|6.1.0|^6|LICENSE NOTICE licenses/LICENSE-d3"
  "leaflet|1.9.4|1.9.4|LICENSE"
  "workbox-core|7.4.1|^7|LICENSE|workbox-7.4.1"
  "workbox-routing|7.4.1|^7|LICENSE|workbox-7.4.1"
  "workbox-strategies|7.4.1|^7|LICENSE|workbox-7.4.1"
  "workbox-precaching|7.4.1|^7|LICENSE|workbox-7.4.1"
)

# Files to copy for each library: "path in the package -> path under the
# vendor folder". Upstream relative layout is kept (minus dist/) so the
# relative url(...) references inside the CSS still resolve.
files_for() {
  case "$1" in
    bootstrap) cat <<'EOF'
dist/css/bootstrap.min.css css/bootstrap.min.css
dist/css/bootstrap.min.css.map css/bootstrap.min.css.map
dist/js/bootstrap.bundle.min.js js/bootstrap.bundle.min.js
dist/js/bootstrap.bundle.min.js.map js/bootstrap.bundle.min.js.map
EOF
    ;;
    bootstrap-icons) cat <<'EOF'
font/bootstrap-icons.min.css font/bootstrap-icons.min.css
font/fonts/bootstrap-icons.woff2 font/fonts/bootstrap-icons.woff2
font/fonts/bootstrap-icons.woff font/fonts/bootstrap-icons.woff
EOF
    ;;
    echarts) cat <<'EOF'
dist/echarts.min.js echarts.min.js
EOF
    ;;
    leaflet) cat <<'EOF'
dist/leaflet.js leaflet.js
dist/leaflet.js.map leaflet.js.map
dist/leaflet.css leaflet.css
dist/images/layers.png images/layers.png
dist/images/layers-2x.png images/layers-2x.png
dist/images/marker-icon.png images/marker-icon.png
dist/images/marker-icon-2x.png images/marker-icon-2x.png
dist/images/marker-shadow.png images/marker-shadow.png
EOF
    ;;
    workbox-core|workbox-routing|workbox-strategies|workbox-precaching) cat <<EOF
build/$1.prod.js $1.prod.js
build/$1.prod.js.map $1.prod.js.map
EOF
    ;;
    *) echo "no file list for $1" >&2; exit 1 ;;
  esac
}

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$REPO_ROOT/static/vendor"

for tool in npm python3 tar; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found" >&2; exit 1; }
done

if [[ "${1:-}" == "--outdated" ]]; then
  for spec in "${LIBS[@]}"; do
    IFS='|' read -r name version range _ <<<"$spec"
    newest="$(npm view "$name@$range" version --json 2>/dev/null |
      python3 -c 'import json,sys; v=json.load(sys.stdin); print(v[-1] if isinstance(v, list) else v)')"
    flag=""; [[ "$newest" != "$version" ]] && flag="  <-- update available"
    printf '%-16s pinned %-8s newest in %-6s %s%s\n' "$name" "$version" "$range" "$newest" "$flag"
  done
  exit 0
elif [[ $# -gt 0 ]]; then
  sed -n '2,14p' "$0" >&2; exit 2
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
STAGE="$WORK/stage"     # new contents of static/vendor (library folders + MANIFEST.json)
mkdir -p "$STAGE"
: >"$WORK/manifest.tsv"  # name, version, integrity, licence, tarball, files  (one line per library)

for spec in "${LIBS[@]}"; do
  IFS='|' read -r name version _ licence_files folder <<<"$spec"
  folder="${folder:-$name-$version}"
  echo "==> $name@$version -> $folder"
  pkgdir="$WORK/pkg-$name"; mkdir -p "$pkgdir"

  # Download the exact tarball the registry serves for this version.
  pack_json="$(cd "$pkgdir" && npm pack "$name@$version" --json 2>/dev/null)"
  read -r tgz pack_integrity < <(python3 -c 'import json,sys; d=json.load(sys.stdin)[0]; print(d["filename"], d["integrity"])' <<<"$pack_json")
  registry_integrity="$(npm view "$name@$version" dist.integrity 2>/dev/null)"
  local_integrity="$(python3 -c 'import base64,hashlib,sys; print("sha512-" + base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$pkgdir/$tgz")"
  if [[ "$pack_integrity" != "$registry_integrity" || "$local_integrity" != "$registry_integrity" ]]; then
    echo "error: integrity mismatch for $name@$version" >&2
    echo "  npm view: $registry_integrity" >&2
    echo "  npm pack: $pack_integrity" >&2
    echo "  local   : $local_integrity" >&2
    exit 1
  fi
  tarball_url="$(npm view "$name@$version" dist.tarball 2>/dev/null)"
  tar -xzf "$pkgdir/$tgz" -C "$pkgdir"   # -> $pkgdir/package/
  src="$pkgdir/package"
  licence="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["license"])' "$src/package.json")"
  got_version="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$src/package.json")"
  [[ "$got_version" == "$version" ]] || { echo "error: package.json says $got_version" >&2; exit 1; }

  dest="$STAGE/$folder"
  mkdir -p "$dest"
  : >"$WORK/files-$name.txt"  # this package's files (a shared folder holds several packages)
  { files_for "$name"; for lf in $licence_files; do echo "$lf $lf"; done; } |
  while read -r from to; do
    [[ -f "$src/$from" ]] || { echo "error: $name@$version has no $from" >&2; exit 1; }
    if [[ -f "$dest/$to" ]] && ! cmp -s "$src/$from" "$dest/$to"; then
      echo "error: $folder/$to differs between the packages sharing $folder" >&2; exit 1
    fi
    mkdir -p "$(dirname "$dest/$to")"
    cp "$src/$from" "$dest/$to"
    chmod 644 "$dest/$to"
    echo "$folder/$to" >>"$WORK/files-$name.txt"
  done

  # sourceMappingURL: keep if the .map was vendored next to the file, else
  # strip the comment (Django's ManifestStaticFilesStorage fails on a
  # missing map at collectstatic time).
  find "$dest" -type f \( -name '*.js' -o -name '*.css' \) -print0 |
  while IFS= read -r -d '' f; do
    ref="$(grep -oE '^(//# |/\*# )sourceMappingURL=[^ *]+' "$f" | sed -E 's/.*sourceMappingURL=//' || true)"
    [[ -z "$ref" ]] && continue
    if [[ -f "$(dirname "$f")/$ref" ]]; then
      echo "    map ok: ${f#"$STAGE"/} -> $ref"
    else
      echo "    NOTE: ${f#"$STAGE"/} references missing $ref; stripping the sourceMappingURL line"
      sed -i -E '/^(\/\/# |\/\*# )sourceMappingURL=/d' "$f"
    fi
  done

  # Every relative url(...) in the CSS must point at a vendored file.
  python3 - "$dest" <<'PY'
import pathlib, re, sys
root = pathlib.Path(sys.argv[1])
bad = 0
for css in root.rglob("*.css"):
    for m in re.finditer(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", css.read_text(encoding="utf-8")):
        url = m.group(2)
        if url.startswith(("data:", "#", "http:", "https:", "//")):
            continue
        target = (css.parent / url.split("?")[0].split("#")[0]).resolve()
        ok = target.is_file()
        bad += not ok
        print(f"    url {'ok' if ok else 'MISSING'}: {css.relative_to(root.parent)} -> {url}")
sys.exit(1 if bad else 0)
PY

  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$version" "$registry_integrity" "$licence" "$tarball_url" "$folder" >>"$WORK/manifest.tsv"
done

# MANIFEST.json: deterministic (sorted, no timestamps) so reruns are no-ops.
python3 - "$STAGE" "$WORK/manifest.tsv" "$WORK" <<'PY'
import hashlib, json, pathlib, sys
stage, tsv, work = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
libs = []
for line in tsv.read_text().splitlines():
    name, version, integrity, licence, tarball, folder = line.split("\t")
    paths = sorted(set((work / f"files-{name}.txt").read_text().split()))
    files = [
        {"path": path,
         "size": (stage / path).stat().st_size,
         "sha256": hashlib.sha256((stage / path).read_bytes()).hexdigest()}
        for path in paths
    ]
    libs.append({"name": name, "version": version, "folder": folder,
                 "npm_tarball": tarball, "npm_integrity": integrity,
                 "license": licence, "files": files})
manifest = {
    "description": "Front-end libraries vendored from the npm registry; paths are relative to static/vendor/. Generated by scripts/vendor_static.sh - do not edit by hand.",
    "libraries": libs,
}
(stage / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n")
PY

# Swap in: replace every managed library folder (any version, so upgrades
# drop the old folder) and MANIFEST.json; leave anything else (README.md) alone.
mkdir -p "$VENDOR"
for spec in "${LIBS[@]}"; do
  IFS='|' read -r name version _ _ folder <<<"$spec"
  base="${folder:-$name-$version}"; base="${base%-"$version"}"
  # match "<base>-<digit>..." only, so "bootstrap-" never removes "bootstrap-icons-*"
  find "$VENDOR" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended \
       -regex ".*/$base-[0-9][^/]*" -exec rm -rf {} +
done
cp -R "$STAGE"/. "$VENDOR"/
echo "==> static/vendor updated:"
du -sh "$VENDOR"/*/ | sed "s|$REPO_ROOT/||"
