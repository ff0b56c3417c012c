#!/usr/bin/env python3
"""The bytes reaching the coordinator in a primal random-feature fit, from the serializer's payload layout, and the
paper projection of one Gram round on a large cluster. Used by bench/partitions.sh (sections intake and projection).

  partition_intake.py table
      The intake table: per round and per fit, with row blocks (a single file under --cluster today: the client ships
      the rows, every row block answers with its own partial) and with partitions (every partition answers once).
  partition_intake.py expected P M D T [csv] [standardize]
      The payload bytes the coordinator receives from the workers in one partitioned fit of P partitions, M feature
      columns, D feature columns of data and T targets (a count round for CSV, a moments round with --standardize,
      the Gram round): one number, for the measured check.
  partition_intake.py projection GFLOPS CORES_HERE
      One Gram round of 10^9 rows, m = 4096, on 100 worker machines with 10 Gb/s links, from the GEMM rate GFLOPS
      measured on this machine of CORES_HERE cores.

Sizes (src/Shared/NtkCluster.Protocol/Serialization: NtkMessageSerializer, PayloadWriter, PartitionPayloads):
  every reply starts with the job id (int32 length + UTF-8, about 20 characters) and the block/partition index;
  PartitionGramComputed  = upper triangle of ΨᵀΨ (int32 n + 8·m(m+1)/2) + ΨᵀY (2·int32 + 8·m·t) + Σy² (int32 + 8·t)
                           + rows (int64);
  GramBlockComputed      = the same without Σy² and rows (one per row block of the row-block path);
  PartitionMomentsComputed = two ColumnMoments (int64 count, sums and squared deviations as int32 + 8·k each);
  PartitionCounted       = two int64.
A payload over 1 MiB (ChunkedTransfer.DefaultChunkBytes) travels as ⌈bytes / 1 MiB⌉ BlockReplyChunk messages, each with
its entity id, transfer id, index, count and manifest (≈ 80 bytes). Every Akka message also carries an envelope
(recipient and sender paths, serializer id, manifest): a few hundred bytes, counted here as ENVELOPE.
"""
import math
import sys

HEADER = 4 + 24 + 4  # job id (length + ~24 UTF-8 bytes) + index
CHUNK = 1 << 20
CHUNK_OVERHEAD = 80
ENVELOPE = 300
DEFAULT_ROW_BLOCK = 1024
MAX_GRAM_BLOCK_DOUBLES = 16 << 20


def on_wire(payload):
    """A reply's bytes on the wire: chunked past 1 MiB, plus an envelope per message."""
    if payload <= CHUNK:
        return payload + ENVELOPE
    pieces = math.ceil(payload / CHUNK)
    return payload + pieces * (CHUNK_OVERHEAD + ENVELOPE)


def gram_partition(m, t):
    return HEADER + 4 + 8 * m * (m + 1) // 2 + 8 + 8 * m * t + 4 + 8 * t + 8


def gram_block(m, t):
    return HEADER + 4 + 8 * m * (m + 1) // 2 + 8 + 8 * m * t


def moments_partition(d, t):
    return HEADER + sum(8 + 2 * (4 + 8 * k) for k in (d, t))


def counted_partition():
    return HEADER + 16


def gram_row_block(m):
    """BlockPlan.GramRowBlock: the rows of one Gram block."""
    rows = min(4 * m, MAX_GRAM_BLOCK_DOUBLES // m) // DEFAULT_ROW_BLOCK * DEFAULT_ROW_BLOCK
    return max(DEFAULT_ROW_BLOCK, rows)


def human(b):
    for unit, size in (("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if b >= size:
            return f"{b / size:.3g} {unit}"
    return f"{b:.0f} B"


def expected(p, m, d, t, csv, standardize):
    total = p * on_wire(gram_partition(m, t))
    if standardize:
        total += p * on_wire(moments_partition(d, t))
    if csv:
        total += p * on_wire(counted_partition())
    return total


def table():
    d, t = 3, 1
    print("Bytes into the coordinator (payloads + chunking + ~300 B envelope per message), d = 3 data columns, 1 target.")
    print("Row blocks: a single file under --cluster before issue 13 — the client ships n·(d+t)·8 bytes of rows, and every")
    print("row block of B = GramRowBlock(m) rows answers with its own m×m partial (upper triangle) in the Gram round.")
    print("Partitions: every partition answers once per round; the rows never reach the coordinator.")
    print()
    print(f"| n | m | B | row-block partials | rows shipped in | Gram round, row blocks | P | Gram round, partitions | one partial |")
    print("|---|---|---|---|---|---|---|---|---|")
    cases = [
        (3_000_000, 1024, [1, 8, 64]),
        (30_000_000, 512, [110, 1000]),
        (30_000_000, 1024, [110]),
        (1_000_000_000, 4096, [100, 1000, 10000]),
    ]
    for n, m, ps in cases:
        b = gram_row_block(m)
        blocks = math.ceil(n / b)
        rows_in = n * (d + t) * 8
        old = blocks * on_wire(gram_block(m, t))
        for i, p in enumerate(ps):
            new = p * on_wire(gram_partition(m, t))
            lead = f"| {n:,} | {m} | {b} | {blocks:,} | {human(rows_in)} | {human(old)} |" if i == 0 else "| | | | | | |"
            print(f"{lead} {p:,} | {human(new)} | {human(gram_partition(m, t))} |")
    print()
    print("Other rounds, per partition: moments (--standardize) "
          f"{moments_partition(d, t)} B + envelope; CSV row count {counted_partition()} B + envelope; squared errors "
          f"{HEADER + 8 + 4 + 8 * t} B + envelope. Commands out of the coordinator: one per partition and round, "
          "with the partition's descriptor (path, fingerprint, range: ~150 B + path) and, for the Gram round, the "
          "preprocessing and the draws (m·d doubles + m phases: ~8·m·(d+1) B; 32 KB at m = 1024, d = 3).")
    print("Formula: Gram round intake ≈ P · (4·m(m+1) + 8·m·t) bytes (partitions) against "
          "⌈n/B⌉ · 4·m(m+1) + 8·n·(d+t) bytes (row blocks).")


def projection(gflops_here, cores_here):
    n, m, machines, link_gbit = 1e9, 4096, 100, 10.0
    link = link_gbit * 1e9 / 8  # bytes/s
    partial = gram_partition(m, 1)
    flops = n * m * m  # the convention: rows·m² per Gram round
    print(f"One Gram round: n = 10^9 rows, m = {m}, {machines} worker machines, {link_gbit:g} Gb/s links "
          f"({link / 1e9:.2f} GB/s), one partial = {human(partial)} (upper triangle of {m}×{m} doubles).")
    print(f"GEMM rate measured here: {gflops_here:.1f} GFLOP/s on {cores_here} cores "
          f"({gflops_here / cores_here:.1f} per core).")
    print()
    print("| machines like | GFLOP/s per machine | compute per round | P = 1000 partials into the coordinator | "
          "one partial per machine (P_eff = 100) | binary tree (7 levels) |")
    print("|---|---|---|---|---|---|")
    for label, cores in ((f"this one ({cores_here} cores)", cores_here), ("32 cores (per-core rate × 32)", 32)):
        rate = gflops_here / cores_here * cores * 1e9
        compute = flops / machines / rate
        flat = 1000 * partial / link
        per_machine = machines * partial / link
        tree = math.ceil(math.log2(machines)) * partial / link
        print(f"| {label} | {rate / 1e9:.0f} | {compute:,.0f} s | {flat:,.0f} s ({human(1000 * partial)}) | "
              f"{per_machine:,.1f} s ({human(machines * partial)}) | {tree:.2f} s |")
    print()
    solve = m ** 3 / 3 / (gflops_here * 1e9)
    adds = 1000 * partial / 8 / 1e9
    print(f"Coordinator, per round: reducing 1000 partials in partition order = {adds:.1f}·10^9 additions over "
          f"{human(1000 * partial)} of memory traffic (≈ {1000 * partial / 10e9:.0f} s at 10 GB/s); the {m}×{m} "
          f"Cholesky solve ≈ {solve:.1f} s here; memory: a few m×m matrices ({human(8 * m * m)} each).")
    print(f"Reading: 10^7 rows per machine × 3 columns of 8 bytes = {human(1e7 * 24)} per machine: negligible.")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd = sys.argv[1]
    if cmd == "table":
        table()
    elif cmd == "expected":
        p, m, d, t = (int(x) for x in sys.argv[2:6])
        flags = set(sys.argv[6:])
        print(expected(p, m, d, t, "csv" in flags, "standardize" in flags))
    elif cmd == "projection":
        projection(float(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
