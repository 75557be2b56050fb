#!/bin/bash
# A sweep's shards as a Slurm job array, then a merge job that waits for them.
# Run it from the repository (after npm ci), on a file system every node sees:
#
#   SHARDS=8 GRID=sweeps/kazdan-gaussian.full.json OUT=runs/kazdan-gaussian bash examples/slurm-sweep.sh
#
# Without SLURM_ARRAY_TASK_ID it submits itself as an array of SHARDS tasks
# and a merge job depending on them; each task runs its shard with --resume,
# so a requeued or restarted task continues where it stopped.
#SBATCH --job-name=cb-sweep
#SBATCH --cpus-per-task=4
#SBATCH --time=04:00:00
#SBATCH --output=cb-sweep-%A_%a.out
set -euo pipefail
SHARDS=${SHARDS:-8}
GRID=${GRID:-sweeps/kazdan-gaussian.full.json}
OUT=${OUT:-runs/$(basename "$GRID" .json)}
export SHARDS GRID OUT

if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
  array=$(sbatch --parsable --array="1-$SHARDS" --export=ALL "$0")
  sbatch --dependency="afterok:$array" --job-name=cb-merge --output=cb-merge-%j.out --export=ALL \
    --wrap "node dist/src/cli/bin.js merge '$OUT' --out '$OUT.merged' --force"
  echo "submitted shards $array (1-$SHARDS) and their merge into $OUT.merged"
  exit 0
fi

# array indices 1..SHARDS are the shard numbers
node dist/src/cli/bin.js sweep "$GRID" --shard "$SLURM_ARRAY_TASK_ID/$SHARDS" --out "$OUT" \
  --workers "${SLURM_CPUS_PER_TASK:-1}" --resume --quiet
