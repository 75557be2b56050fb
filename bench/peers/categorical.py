"""Wright-Fisher drift as its users write it with numpy: counts of K states,
each generation rng.multinomial(M, counts / M), for R independent chains
(replicates) in turn. Prints the in-process seconds and the work done."""
import json, sys, time
import numpy as np

args = json.loads(sys.argv[1])
K, M, G, R = args["states"], args["samples"], args["generations"], args.get("replicates", 1)
seed = args.get("seed", 1)
survivors = 0
t0 = time.perf_counter()
for r in range(R):
    rng = np.random.default_rng(seed if R == 1 else [seed, r])  # replicate r's own stream
    counts = rng.multinomial(M, np.full(K, 1.0 / K))  # generation 0: the real data
    for n in range(G - 1):  # models 1..G; the last one draws nothing
        counts = rng.multinomial(M, counts / M)
    survivors += int((counts > 0).sum())
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "work": {"states": K, "samples": M, "generations": G, "replicates": R, "survivors": survivors / R}}))
