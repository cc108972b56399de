#!/usr/bin/env bash
# A longer protocol fuzz session against an in-process broker (ProtocolFuzzTest; see docs/architecture.md,
# "Hostile input"). The normal test suite runs a fixed seed and 3,000 cases.
#
#   scripts/fuzz.sh [CASES] [SEED]     defaults: 200000 cases (a few minutes), a seed from the clock
#
# A failure prints the offending case (its index, API key, version and bytes); the same seed replays it.
set -euo pipefail

cases="${1:-200000}"
seed="${2:-$(date +%s)}"
echo "fuzz: $cases cases, seed $seed"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec mvn -B verify -pl brook-broker -am -Dtest=ProtocolFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
  -DfailIfNoTests=false -Dbrook.fuzz.cases="$cases" -Dbrook.fuzz.seed="$seed"
