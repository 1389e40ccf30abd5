#!/usr/bin/env bash
# Puts the source of every labelled app (eval/labels/*.json: repo, commit) into <apps-dir>/<id>/, outside this
# repository, as the scorer expects it. Only source and config files are kept; nothing is installed, built or run.
# Workspace packages are linked into <id>/node_modules/<name>, as `npm install` / `pnpm install` would link them.
#
# usage: eval/checkout.sh <apps-dir> [--mirrors <dir>] [id…]
#   --mirrors <dir>  read <dir>/<owner>+<name>/repo (bare git directories) instead of cloning from GitHub
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { sed -n 2,8p "$0" | sed 's/^# \{0,1\}//'; exit 2; }
apps=$(mkdir -p "$1" && cd "$1" && pwd)
shift
mirrors=""
if [ "${1:-}" = --mirrors ]; then mirrors=$(cd "$2" && pwd); shift 2; fi
if git -C "$apps" rev-parse --show-toplevel >/dev/null 2>&1; then
  echo "error: $apps is inside a git repository, whose .gitignore would hide the apps from the audit" >&2
  exit 2
fi
ids=("$@")
[ ${#ids[@]} -gt 0 ] || mapfile -t ids < <(ls "$here/labels" | sed -n 's/\.json$//p')

for id in "${ids[@]}"; do
  read -r repo commit < <(node -e 'const l=require(process.argv[1]);console.log(l.repo, l.commit)' "$here/labels/$id.json")
  dest="$apps/$id"
  if [ "$(cat "$dest/.checkout" 2>/dev/null)" = "$repo@$commit" ]; then continue; fi
  if [ -n "$mirrors" ]; then
    gd="$mirrors/${repo/\//+}/repo"
  else
    gd="$apps/.git-cache/${repo/\//+}.git"
    [ -d "$gd" ] || git clone --quiet --bare --filter=blob:none "https://github.com/$repo.git" "$gd"
    git --git-dir="$gd" cat-file -e "$commit^{commit}" 2>/dev/null || git --git-dir="$gd" fetch --quiet origin "$commit"
  fi
  rm -rf "$dest"
  mkdir -p "$dest"
  node "$here/extract.mjs" "$gd" "$commit" "$dest"
  node "$here/link-workspaces.mjs" "$dest"
  echo "$repo@$commit" > "$dest/.checkout"
  echo "$id: $repo@${commit:0:10} ($(find "$dest" -type f -not -path '*/node_modules/*' | wc -l) files)"
done
