#!/bin/sh
# Captures the /proc and /sys files icn/host reads into DIR (a test sample: read_inventory with
# root = DIR reads it like the live tree). Usage: capture.sh DIR [DATA_PATH]
set -eu
out=${1:?usage: capture.sh DIR}
mkdir -p "$out/proc" "$out/sys/block" "$out/sys/class/net"
cp /proc/cpuinfo /proc/meminfo "$out/proc/"
for d in /sys/block/*; do
  n=$(basename "$d"); mkdir -p "$out/sys/block/$n/queue"
  cat "$d/size" > "$out/sys/block/$n/size"
  cat "$d/queue/rotational" > "$out/sys/block/$n/queue/rotational"
  if [ -e "$d/device" ]; then
    mkdir -p "$out/sys/block/$n/device"
    cat "$d/device/uevent" > "$out/sys/block/$n/device/uevent" 2>/dev/null || :
    [ -r "$d/device/model" ] && cat "$d/device/model" > "$out/sys/block/$n/device/model"
  fi
done
for i in /sys/class/net/*; do
  n=$(basename "$i"); mkdir -p "$out/sys/class/net/$n"
  for f in operstate address; do cat "$i/$f" > "$out/sys/class/net/$n/$f"; done
  cat "$i/speed" > "$out/sys/class/net/$n/speed" 2>/dev/null || rm -f "$out/sys/class/net/$n/speed"
  if [ -e "$i/device" ]; then
    mkdir -p "$out/sys/class/net/$n/device"
    cat "$i/device/uevent" > "$out/sys/class/net/$n/device/uevent" 2>/dev/null || :
  fi
done
if [ -n "${2:-}" ]; then
  stat -f -c '%S %b %a' "$2" > "$out/data-path.statvfs"
fi
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits > "$out/nvidia-smi.csv"
fi
