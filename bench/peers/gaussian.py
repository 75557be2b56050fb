"""The paper's Gaussian chain as its users write it with numpy.

mode "loop": the notebook's loop, one replicate after another, one generation
at a time (1-D: rng.normal(mu, sigma, M); mu, sigma = x.mean(), x.std()).
mode "vectorised": every replicate at once, one (R, M, d) array per generation.
Prints one JSON line: the in-process seconds and the work done.
"""
import json, sys, time
import numpy as np

args = json.loads(sys.argv[1])
M, G, R, mode = args["samples"], args["generations"], args["replicates"], args["mode"]
d = args.get("dim", 1)
ddof = 0 if args["estimator"] == "mle" else 1
rng = np.random.default_rng(args.get("seed", 1))

t0 = time.perf_counter()
if d == 1 and mode == "loop":
    final = []
    for r in range(R):
        mu, sigma = 0.0, 1.0
        for n in range(G + 1):  # generation 0's data are real, then G refits
            x = rng.normal(mu, sigma, M)
            mu, sigma = x.mean(), x.std(ddof=ddof)
        final.append(sigma)
elif d == 1:
    mu = np.zeros(R)
    sigma = np.ones(R)
    for n in range(G + 1):
        x = rng.standard_normal((R, M)) * sigma[:, None] + mu[:, None]
        mu, sigma = x.mean(axis=1), x.std(axis=1, ddof=ddof)
    final = sigma
else:
    # d dimensions, vectorised over replicates: x = mu + z L^T, then mean and covariance
    mu = np.zeros((R, d))
    L = np.broadcast_to(np.eye(d), (R, d, d)).copy()
    for n in range(G + 1):
        z = rng.standard_normal((R, M, d))
        x = mu[:, None, :] + np.einsum("rmb,rab->rma", z, L)
        mu = x.mean(axis=1)
        c = x - mu[:, None, :]
        cov = np.einsum("rma,rmb->rab", c, c) / (M - ddof)
        L = np.linalg.cholesky(cov)
    final = np.sqrt(np.trace(cov, axis1=1, axis2=2) / d)
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "work": {"samples": M, "dim": d, "fits": G + 1, "replicates": R, "medianFinalSigma": float(np.median(final))}}))
