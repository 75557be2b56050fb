"""The KDE chain as its users write it: each generation fits a Gaussian KDE to
the training points, scores the held-out points and draws the next training
set. peer "sklearn": KernelDensity with a fixed bandwidth; peer "scipy":
gaussian_kde with Scott's rule. Prints the in-process seconds and the work done."""
import json, sys, time
import numpy as np

args = json.loads(sys.argv[1])
n, m, d, G, peer = args["samples"], args["holdout"], args["dim"], args["generations"], args["peer"]
# imported before the clock starts, as numpy is: the in-process time is the
# experiment's, not the libraries' loading (sklearn's import alone is ~0.5 s)
if peer == "sklearn":
    from sklearn.neighbors import KernelDensity
else:
    from scipy.stats import gaussian_kde
rng = np.random.default_rng(args.get("seed", 1))
x = rng.standard_normal((n, d))
held = rng.standard_normal((m, d))
t0 = time.perf_counter()
nll = 0.0
for g in range(G + 1):  # generation 0 is scored too, as ours is
    if peer == "sklearn":
        kde = KernelDensity(bandwidth=args["bandwidth"]).fit(x)
        nll = -kde.score_samples(held).mean()
        x = kde.sample(n, random_state=g)
    else:
        kde = gaussian_kde(x.T)  # Scott's rule
        nll = -kde.logpdf(held.T).mean()
        x = kde.resample(n, seed=g).T
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "work": {"samples": n, "holdout": m, "dim": d, "scored": G + 1, "lastNll": float(nll)}}))
