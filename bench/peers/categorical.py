"""Wright-Fisher drift as its users write it with numpy: counts of K states,
each generation rng.multinomial(M, counts / M). Prints the in-process seconds
and the work done."""
import json, sys, time
import numpy as np

args = json.loads(sys.argv[1])
K, M, G = args["states"], args["samples"], args["generations"]
rng = np.random.default_rng(args.get("seed", 1))
t0 = time.perf_counter()
counts = rng.multinomial(M, np.full(K, 1.0 / K))  # generation 0: the real data
for n in range(G - 1):  # models 1..G; the last one draws nothing
    counts = rng.multinomial(M, counts / M)
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "work": {"states": K, "samples": M, "generations": G, "survivors": int((counts > 0).sum())}}))
