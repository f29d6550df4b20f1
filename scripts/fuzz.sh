#!/usr/bin/env bash
# Fuzzing chartcode with cargo-fuzz (libFuzzer) on nightly. Local only:
# `make test` and CI never run it. See fuzz/README.md.
#
#   scripts/fuzz.sh seed                 fill fuzz/corpus/<target>/ with seeds
#   scripts/fuzz.sh run [TARGET...]      seed, then fuzz each target for
#                                        $FUZZ_SECONDS (default 60), one at a time
#   scripts/fuzz.sh triage [TARGET...]   replay fuzz/artifacts/<target>/ and group
#                                        the crashes by panic location (the
#                                        smallest input of each is listed)
#   scripts/fuzz.sh regress [TARGET...]  run the committed reproducers in
#                                        fuzz/regressions/<target>/ once; lists
#                                        those that still crash
#
# Environment: PACKS (default packs, built by `make packs`), FUZZ_SECONDS,
# FUZZ_SANITIZER (default none: the crate has no `unsafe`, and without ASan
# the pack targets run about twice as fast; `address` to use it),
# FUZZ_ARGS (extra libFuzzer flags), CHARTCODE_FUZZ_IGNORE (known panic
# locations to step over, see fuzz/src/lib.rs). Crashes go to
# fuzz/artifacts/<target>/; the run goes on after a crash (-fork=1
# -ignore_crashes=1) and exits 1 at the end if any target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."

ALL_TARGETS=(pack_open pack_resealed query_search args_parsers suggest_note)
PACKS=${PACKS:-packs}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
SANITIZER=${FUZZ_SANITIZER:-none}
export CHARTCODE_FUZZ_PACKS
CHARTCODE_FUZZ_PACKS=$(cd "$PACKS" 2>/dev/null && pwd) || {
	echo "fuzz.sh: no packs in $PACKS: run \`make packs\` first" >&2
	exit 2
}
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

need_tools() {
	rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --version 0.13.2 --locked
}

# Seeds are made here, not committed: the packs are megabytes.
seed() {
	python3 - "$CHARTCODE_FUZZ_PACKS" <<'PY'
import json, os, random, struct, sys, zlib

packs_dir = sys.argv[1]
files = ["icd10cm.pack", "icd10pcs.pack", "hcpcs.pack", "icd9cm.pack", "icd9proc.pack"]
corpus = "fuzz/corpus"
random.seed(1)

def put(target, name, data):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

def reseal(b):
    b = bytearray(b)
    if len(b) >= 20:
        b[16:20] = struct.pack("<I", len(b))
        b[12:16] = struct.pack("<I", zlib.crc32(bytes(b[16:])) & 0xFFFFFFFF)
    return bytes(b)

# pack_open: the real packs, truncated packs (raw and resealed), headers.
for i, f in enumerate(files):
    b = open(os.path.join(packs_dir, f), "rb").read()
    stem = f.split(".")[0]
    put("pack_open", stem, b)
    header_len = struct.unpack_from("<H", b, 10)[0]
    for cut in (8, 39, 40, header_len, header_len + 64, len(b) // 2, len(b) - 1):
        put("pack_open", f"{stem}-cut{cut}", b[:cut])
        put("pack_open", f"{stem}-cut{cut}-resealed", reseal(b[:cut]))
    put("pack_open", f"{stem}-header", b[:header_len])

# pack_resealed: [pack] + 8-byte edits [op, where, offset u32, value u16].
def edit(op, where, offset, value):
    return struct.pack("<BBIH", op, where, offset, value & 0xFFFF)

for i, f in enumerate(files):
    put("pack_resealed", f"{i}-plain", bytes([i]))
    b = open(os.path.join(packs_dir, f), "rb").read()
    count = struct.unpack_from("<H", b, 38)[0]
    for s in range(count + 1):
        # counts and offsets at the start of each section, bumped and zeroed
        put("pack_resealed", f"{i}-s{s}-bump", bytes([i]) + edit(4, s, 0, 1))
        put("pack_resealed", f"{i}-s{s}-zero", bytes([i]) + edit(2, s, 4, 0))
        put("pack_resealed", f"{i}-s{s}-big", bytes([i]) + edit(3, s, 0, 0))
    for n in range(24):
        edits = b"".join(
            edit(random.randrange(8), random.randrange(count + 1), random.randrange(1 << 32), random.randrange(1 << 16))
            for _ in range(random.randrange(1, 5))
        )
        put("pack_resealed", f"{i}-random{n}", bytes([i]) + edits)

# query_search and args_parsers: queries a clinician types, the golden cases.
queries = set()
for line in open("benches/typing-session.txt", encoding="utf-8"):
    line = line.rstrip("\n")
    if line and not line.startswith("#"):
        for k in range(1, len(line) + 1):
            queries.add(line[:k])
cases = json.load(open("tests/golden/cases.json", encoding="utf-8"))
def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)
    elif isinstance(v, dict):
        for x in v.values():
            yield from strings(x)
for key in ("search", "lookup", "validate", "map", "errors"):
    for case in cases.get(key, []):
        for field in ("query", "code", "within"):
            for s in strings(case.get(field, []) if isinstance(case, dict) else []):
                queries.add(s)
queries |= {"0DT6", "0DTJ0ZZ", "0DT", "E11.", ".E11", "S72.001A", "J1100", "250.00", "E08-E13", "diabetes e11",
            "250.00\x01E08-E13", "chf\x01I50\x01icd10cm", "  ", "\u00e9", "Ä11", "2026-11-27"}
for n, q in enumerate(sorted(queries)):
    flags = random.randrange(256)
    mask = random.choice([0, 0, 1, 2, 4, 8, 16, 0xFF])
    put("query_search", f"q{n:04d}", bytes([flags, mask]) + q.encode())
    put("args_parsers", f"q{n:04d}", q)
# suggest_note: the bench notes, whole and cut into pieces, and hostile text.
notes = [open(os.path.join("benches/notes", f), encoding="utf-8").read() for f in sorted(os.listdir("benches/notes"))]
notes += ["", "no chest pain.", "Family history: mother had breast cancer.", "<script>alert(1)</script> chf",
          "\u05e9\u05dc\u05d5\u05dd htn \U0001f600 dm2", "PMH:\n- CKD stage 3a\n- s/p CABG (2019)", "likely CHF (not taking"]
for n, note in enumerate(notes):
    for k, piece in enumerate([note] + [note[i:i + 300] for i in range(0, len(note), 700)]):
        put("suggest_note", f"n{n:02d}-{k:02d}", bytes([random.randrange(256), random.choice([0, 1, 4])]) + piece.encode())
for n, d in enumerate(["2026-11-27", "1999-01-01", "2026-13-01", "0000-00-00", "+123-01-01", "2026-1-1", "２０２６-11-27"]):
    put("args_parsers", f"date{n}", d)
PY
	for t in "${ALL_TARGETS[@]}"; do
		echo "fuzz.sh: seeds for $t: $(ls "fuzz/corpus/$t" | wc -l)"
	done
}

run() {
	local failed=()
	for t in "$@"; do
		# Build first and stop on a build error: the run below filters its
		# output, which would hide one.
		cargo +nightly fuzz build --sanitizer "$SANITIZER" "$t"
		mkdir -p "fuzz/artifacts/$t"
		local before
		before=$(ls "fuzz/artifacts/$t" | wc -l)
		echo "fuzz.sh: $t for ${FUZZ_SECONDS}s"
		# One fuzzer process at a time (-fork=1: one child, restarted after
		# a crash so that distinct crashes are collected).
		cargo +nightly fuzz run --sanitizer "$SANITIZER" "$t" "fuzz/corpus/$t" -- \
			-max_total_time="$FUZZ_SECONDS" -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 \
			-rss_limit_mb=2048 -timeout=20 -print_final_stats=1 ${FUZZ_ARGS:-} 2>&1 |
			grep -E --line-buffered 'panicked at|ERROR: libFuzzer|SUMMARY|^#[0-9]+.*(DONE|INITED)|stat::|exec/s' |
			tail -n 40 || true
		local after
		after=$(ls "fuzz/artifacts/$t" | wc -l)
		if [ "$after" -gt "$before" ]; then
			failed+=("$t: $((after - before)) new in fuzz/artifacts/$t")
		fi
	done
	if [ ${#failed[@]} -gt 0 ]; then
		printf 'fuzz.sh: crashes: %s\n' "${failed[@]}"
		triage "$@"
		exit 1
	fi
	echo "fuzz.sh: no crash"
}

# Where a crash input crashes: the panic's file:line, or the libFuzzer kind.
crash_site() {
	local out
	out=$(timeout 120 "fuzz/target/x86_64-unknown-linux-gnu/release/$1" -rss_limit_mb=2048 "$2" 2>&1) && {
		echo "no crash"
		return
	}
	grep -m1 -oE "panicked at [^ ]+" <<<"$out" | sed 's/panicked at //; s#^.*/src/#src/#; s/:$//' && return
	grep -m1 -oE "out-of-memory|timeout|deadly signal|memory allocation of [0-9]+ bytes failed" <<<"$out" || echo crash
}

triage() {
	for t in "$@"; do
		[ -d "fuzz/artifacts/$t" ] || continue
		for f in "fuzz/artifacts/$t"/*; do
			[ -f "$f" ] || continue
			printf '%s\t%s\t%s\n' "$(crash_site "$t" "$f")" "$(stat -c %s "$f")" "$f"
		done | sort -t$'\t' -k1,1 -k2,2n |
			awk -F'\t' -v t="$t" '{n[$1]++; if (!($1 in f)) f[$1] = $3 " (" $2 " bytes)"}
				END {for (k in n) printf "%s: %d x %s, smallest %s\n", t, n[k], k, f[k]}'
	done
}

regress() {
	local still=0
	for t in "$@"; do
		[ -d "fuzz/regressions/$t" ] || continue
		cargo +nightly fuzz build --sanitizer "$SANITIZER" "$t" >/dev/null 2>&1 || cargo +nightly fuzz build --sanitizer "$SANITIZER" "$t"
		for f in "fuzz/regressions/$t"/*; do
			[ -f "$f" ] || continue
			where=$(crash_site "$t" "$f")
			if [ "$where" = "no crash" ]; then
				echo "fixed    $t/$(basename "$f")"
			else
				still=1
				echo "CRASHES  $t/$(basename "$f"): $where"
			fi
		done
	done
	return $still
}

cmd=${1:-run}
shift || true
[ $# -gt 0 ] || set -- "${ALL_TARGETS[@]}"
case "$cmd" in
seed) seed ;;
run) need_tools && seed && run "$@" ;;
regress) need_tools && regress "$@" ;;
triage) triage "$@" ;;
*)
	echo "usage: scripts/fuzz.sh [seed|run|triage|regress] [TARGET...]" >&2
	exit 2
	;;
esac
