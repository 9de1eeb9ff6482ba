#!/usr/bin/env bash
# Unpacks CIFAR-10 (JPEG folders) from ../shared into a folder of the build tree, once.
# usage: scripts/unpack_cifar10.sh ARCHIVE DEST   -> DEST/cifar10/{train,test}/<class>/*.jpg
set -euo pipefail
archive=${1:?archive}
dest=${2:?destination folder}
if [ -f "$dest/cifar10/.complete" ]; then
  exit 0
fi
if [ ! -f "$archive" ]; then
  echo "unpack_cifar10: $archive not found (expected ../shared/data/cifar10-jpg.tar.gz beside the project)" >&2
  exit 1
fi
mkdir -p "$dest"
rm -rf "$dest/cifar10.partial"
mkdir -p "$dest/cifar10.partial"
tar -xzf "$archive" -C "$dest/cifar10.partial"
# The archive holds cifar10/{train,test}; move it into place only when complete, so an interrupted unpack redoes.
rm -rf "$dest/cifar10"
mv "$dest/cifar10.partial/cifar10" "$dest/cifar10"
rm -rf "$dest/cifar10.partial"
touch "$dest/cifar10/.complete"
