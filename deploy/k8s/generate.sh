#!/usr/bin/env bash
# Writes each manifest of this directory anew with the command on its first line (./patterns k8s ...), from the
# project's root: deploy/k8s/generate.sh. K8sManifestsTest checks that every one is what its command prints now.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
for file in deploy/k8s/*.yaml; do
  command=$(head -n 1 "$file")
  case "$command" in
    "# ./patterns k8s "*) ;;
    *) continue ;;  # written by hand (the volume claim)
  esac
  eval "${command#\# }" > "$file.new"
  mv "$file.new" "$file"
  echo "wrote $file"
done
