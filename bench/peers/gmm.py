"""The paper's GMM notebook chain with scikit-learn: GaussianMixture fitted to
the previous generation's samples, then .sample(N), for R independent chains
(replicates) in turn. Prints the in-process seconds and the EM iterations
(they differ from ours: the random streams differ, so compare per iteration
too)."""
import json, sys, time
import numpy as np
from sklearn.mixture import GaussianMixture

args = json.loads(sys.argv[1])
N, G, K, R = args["samples"], args["generations"], args["components"], args.get("replicates", 1)
seed = args.get("seed", 1)
iterations = 0
t0 = time.perf_counter()
for r in range(R):
    rng = np.random.default_rng([seed, r])  # replicate r's own stream
    x = rng.standard_normal((N, 2))  # make_blobs(centers=[[0, 0]], cluster_std=1)
    for n in range(G):
        gm = GaussianMixture(n_components=K, covariance_type=args["covariance"], tol=args["tol"], max_iter=args["maxIter"], reg_covar=1e-6, random_state=int(rng.integers(2**31 - 1)))
        gm.fit(x)
        iterations += gm.n_iter_
        x, _ = gm.sample(N)
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "work": {"samples": N, "generations": G, "replicates": R, "components": K, "covariance": args["covariance"], "tol": args["tol"], "maxIter": args["maxIter"], "emIterations": int(iterations)}}))
