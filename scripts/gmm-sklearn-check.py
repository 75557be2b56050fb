"""Fits scikit-learn's GaussianMixture from the starting parameters that
docs/gmm-sklearn-check.mjs wrote, and compares with our EM: iterations, final
lower bound, largest parameter difference; then sklearn's own default
initialisation (init_params='kmeans') over 10 seeds for the range of optima."""
import json, os, tempfile
import numpy as np
from sklearn.mixture import GaussianMixture
cases = json.load(open(os.path.join(tempfile.gettempdir(), 'gmm-sklearn-check.json')))
for c in cases:
    K, d = c['K'], 2
    X = np.array(c['X'])
    def unpack(p):
        p = np.array(p); w = p[:K]; m = p[K:K+K*d].reshape(K, d); C = p[K+K*d:].reshape(K, d, d); return w, m, C
    w0, m0, C0 = unpack(c['start'])
    if c['cov'] == 'full': prec = np.linalg.inv(C0)
    elif c['cov'] == 'diag': prec = 1 / np.array([np.diag(x) for x in C0])
    else: prec = 1 / C0[:, 0, 0]
    g = GaussianMixture(n_components=K, covariance_type=c['cov'], tol=1e-5, max_iter=2000, reg_covar=1e-6, weights_init=w0, means_init=m0, precisions_init=prec)
    g.fit(X)
    w1, m1, C1 = unpack(c['fit'])
    if c['cov'] == 'full': Cs = g.covariances_
    elif c['cov'] == 'diag': Cs = np.array([np.diag(v) for v in g.covariances_])
    else: Cs = np.array([v * np.eye(d) for v in g.covariances_])
    dev = max(np.abs(w1 - g.weights_).max(), np.abs(m1 - g.means_).max(), np.abs(C1 - Cs).max())
    # each one's own initialisation: sklearn's default init_params='kmeans', 10 seeds
    own = [GaussianMixture(n_components=K, covariance_type=c['cov'], tol=1e-5, max_iter=2000, random_state=s).fit(X) for s in range(10)]
    print(f"{c['data']:14s} K={K:2d} {c['cov']:9s} ours: {c['iterations']:4d} it, LB {c['lowerBound']:.10f} | sklearn same start: {g.n_iter_:4d} it, LB {g.lower_bound_:.10f}, max |param diff| {dev:.2e} | sklearn kmeans init, 10 seeds: LB {min(o.lower_bound_ for o in own):.6f}..{max(o.lower_bound_ for o in own):.6f}, it {min(o.n_iter_ for o in own)}..{max(o.n_iter_ for o in own)}")
