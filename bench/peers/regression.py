"""OLS refitted on its own labels with numpy: a fixed design X (T x d),
y = X w + noise, w = lstsq(X, y) each generation. Prints the in-process
seconds and the work done."""
import json, sys, time
import numpy as np

args = json.loads(sys.argv[1])
d, T, G, R = args["dim"], args["points"], args["generations"], args["replicates"]
rng = np.random.default_rng(args.get("seed", 1))
t0 = time.perf_counter()
err = []
for r in range(R):
    X = rng.standard_normal((T, d))
    w_star = rng.standard_normal(d)
    w = w_star
    for n in range(G):
        y = X @ w + rng.standard_normal(T)
        w = np.linalg.lstsq(X, y, rcond=None)[0]
    err.append(float(((w - w_star) ** 2).sum()))
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "work": {"dim": d, "points": T, "fits": G * R, "meanWeightErrorSq": float(np.mean(err))}}))
