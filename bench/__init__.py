"""The benchmark suite of QUALITY.md's performance targets (scripts/bench.sh runs it; never part of pytest)."""
