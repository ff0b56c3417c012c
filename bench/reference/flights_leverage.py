#!/usr/bin/python3
"""Independent numpy reference for the flights leverage-sampling benchmark (bench/leverage.sh, flights block).

Run single-threaded:
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 bench/reference/flights_leverage.py [--quick] \
        > bench/reference/flights_leverage.out
(--quick: 2 seeds, M <= 800; --check-only: only the numerics cross-check.)  Full run: ~14 CPU-minutes, 1.4 GB.

Setup (as in the brief):
  * training rows NR%40==2 of flights-200k.csv (5000 rows), test rows NR%40==3 (5000 rows); features (distance, time)
    standardized with the 5000 training rows' mean and population std; target `delay` used raw.
  * rbf k(x,z)=exp(-gamma|x-z|^2), gamma=0.5; RFF w~N(0, 2 gamma I), b~U[0,2pi), phi=sqrt(2)cos(w.x+b).
  * ridge leverage tau(w)=Phi(w)^T (K+lam I)^-1 Phi(w); s_lam = tr[(K+lam I)^-1 K].
  * "exact mode" leverage: pool of P=max(20M,10000) draws from p, tau exact for each, M draws from the pool with
    replacement prop. to tau, feature r scaled by sqrt(taubar/tau_r) (taubar = pool mean).
  * eps = max |eig(L^-1 (Psi Psi^T + lam I) L^-T) - 1|.

Numerics. K's eigenvalues fall below 1e-12 after a few hundred (2-D inputs, smooth kernel), so K is handled through
its top-r eigenpairs (mu_i > 1e-12; everything below is at the level of the rounding error in K itself, ~n*1e-16*|K|).
With W = U_r (D_r^-1/2 - lam^-1/2) U_r^T + I/sqrt(lam) (a symmetric square root of (K+lam I)^-1 up to mu_{r+1}/lam
< 1e-9), W (Psi Psi^T + lam I) W - I = G G^T - U_r diag(mu/(mu+lam)) U_r^T with G = W Psi, a matrix of rank <= M + r,
so eps is the largest |eigenvalue| of an (M+r)x(M+r) matrix (dense n x n path when M + r >= n). This is exact
(not a subsample bound) at both n = 2000 and n = 5000. tau(w) = sum_{i<=r} c_i^2/(mu_i+lam) + (|phi|^2 - |c|^2)/lam,
c = U_r^T phi.  A dense-Cholesky cross-check of eps and tau on a few cases is printed first.
"""
import sys, time
import numpy as np
import scipy.linalg as sla

T0 = time.time()
QUICK = "--quick" in sys.argv
GAMMA = 0.5
LAMS = [1e-3, 1e-1, 1.0]
MS = [50, 200, 800] if QUICK else [50, 200, 800, 3200]
SEEDS = [0, 1] if QUICK else [0, 1, 2]
MU_FLOOR = 1e-12


def log(*a):
    print(*a, flush=True)


def pool_size(m):
    return max(20 * m, 10000)


# ---------------------------------------------------------------- data
A = np.loadtxt("/work/shared/datasets/flights-200k.csv", delimiter=",", skiprows=1)
with open("/work/shared/datasets/flights-200k.csv") as f:
    header = f.readline().strip()
nr = np.arange(A.shape[0]) + 2          # awk NR of each data row (header is NR 1)
tr, te = A[nr % 40 == 2], A[nr % 40 == 3]
mean, std = tr[:, :2].mean(0), tr[:, :2].std(0)   # population std (ddof=0)
Xtr, ytr = (tr[:, :2] - mean) / std, tr[:, 2]
Xte, yte = (te[:, :2] - mean) / std, te[:, 2]
log(f"header: {header}; train {tr.shape}, test {te.shape}; y train mean {ytr.mean():.3f} var {ytr.var():.2f}; "
    f"y test var {yte.var():.2f}")
log(f"training rows sorted by time: {bool(np.all(np.diff(tr[:, 1]) >= 0))}; first 2000 rows span time "
    f"{tr[0, 1]:.2f}..{tr[1999, 1]:.2f} h (all 5000: {tr[:, 1].min():.2f}..{tr[:, 1].max():.2f} h)")


def kernel(a, b):
    d2 = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T
    return np.exp(-GAMMA * np.maximum(d2, 0))


def features(x, w, b):
    return np.sqrt(2.0) * np.cos(x @ w.T + b)


def draw(rng, m):
    return rng.normal(0.0, np.sqrt(2 * GAMMA), (m, 2)), rng.uniform(0, 2 * np.pi, m)


class Setting:
    """Training rows x: top eigenpairs of K and everything needed for tau, s_lambda and eps."""

    def __init__(self, x, name):
        t = time.time()
        self.x, self.n, self.name = x, x.shape[0], name
        K = kernel(x, x)
        mu, U = sla.eigh(K, subset_by_value=[MU_FLOOR, np.inf], driver="evr")
        o = np.argsort(mu)[::-1]
        self.mu, self.U = mu[o], U[:, o]
        self.r = len(self.mu)
        self.K = K if self.n <= 2000 else None
        log(f"[{name}] n={self.n}: {self.r} eigenvalues > {MU_FLOOR:g} (top {self.mu[0]:.1f}); {time.time() - t:.1f}s")

    def s_lambda(self, lam):
        return float(np.sum(self.mu / (self.mu + lam)))

    def count_above(self, lam):
        return int(np.sum(self.mu > lam))

    def tau(self, w, b, lams, chunk=4000):
        out = np.empty((len(lams), len(b)))
        for s in range(0, len(b), chunk):
            phi = features(self.x, w[s:s + chunk], b[s:s + chunk])
            c = self.U.T @ phi
            c2 = c * c
            rest = (phi * phi).sum(0) - c2.sum(0)
            for j, lam in enumerate(lams):
                out[j, s:s + chunk] = (c2 / (self.mu + lam)[:, None]).sum(0) + rest / lam
        return out

    def whiten(self, psi, lam):
        c = self.U.T @ psi
        return self.U @ ((1 / np.sqrt(self.mu + lam) - 1 / np.sqrt(lam))[:, None] * c) + psi / np.sqrt(lam)

    def eps(self, psi, lam):
        """eps for Psi (n x M, already scaled), and where it is attained: returns the tuple
        (eps, eigenvalue of the whitened matrix there (= 1 +- eps), mass of that eigenvector on K's top-r eigenvectors,
        index k of K's eigenvector with the largest share of it, mu_k/lam, column j of Psi with the largest share of
        the eigenvalue's feature energy sum_j (v^T g_j)^2, that share)."""
        n, m = psi.shape
        delta = self.mu / (self.mu + lam)
        G = self.whiten(psi, lam)
        if m + self.r >= n:                       # dense path
            B = G @ G.T - (self.U * delta) @ self.U.T
            ev, V = np.linalg.eigh(B)
            i = int(np.argmax(np.abs(ev)))
            coords_top = self.U.T @ V[:, i]
            proj = V[:, i] @ G
        else:                                     # low-rank path: basis [U_r, Q2], G = [U_r Q2] Y
            A = self.U.T @ G
            R = G - self.U @ A
            R -= self.U @ (self.U.T @ R)          # re-orthogonalize
            Q2, R2 = np.linalg.qr(R)
            Y = np.vstack([A, R2])
            B = Y @ Y.T
            B[np.arange(self.r), np.arange(self.r)] -= delta
            ev, V = np.linalg.eigh(B)
            i = int(np.argmax(np.abs(ev)))
            coords_top = V[:self.r, i]
            proj = V[:, i] @ Y
        top = coords_top ** 2
        k = int(np.argmax(top))
        e2 = proj ** 2
        j = int(np.argmax(e2))
        return (float(abs(ev[i])), float(1 + ev[i]), float(top.sum()), k, float(self.mu[k] / lam), j,
                float(e2[j] / e2.sum()))

    def eig_gram(self, S_, lam):
        """Eigenvalues of W S_ W - U_r diag(mu/(mu+lam)) U_r^T (= whitened matrix - I) for a Gram matrix S_ = Psi Psi^T;
        W = a I + U Dc U^T, so W S_ W costs O(n^2 r)."""
        a, dc = 1 / np.sqrt(lam), 1 / np.sqrt(self.mu + lam) - 1 / np.sqrt(lam)
        T = self.U.T @ S_
        UDT = (self.U * dc) @ T
        B = a * a * S_ + a * (UDT + UDT.T) + ((self.U * dc) @ (T @ self.U)) @ (self.U * dc).T
        B -= (self.U * (self.mu / (self.mu + lam))) @ self.U.T
        return np.linalg.eigvalsh(B)

    def eps_dense_check(self, psi, lam):
        L = np.linalg.cholesky(self.K + lam * np.eye(self.n))
        Z = sla.solve_triangular(L, psi, lower=True)
        Li = sla.solve_triangular(L, np.eye(self.n), lower=True)
        Mw = Z @ Z.T + lam * (Li @ Li.T)               # L^-1 (Psi Psi^T + lam I) L^-T
        return float(np.max(np.abs(np.linalg.eigvalsh(Mw) - 1)))


def leverage_sample(rng, tau_pool, m):
    p = tau_pool / tau_pool.sum()
    idx = rng.choice(len(tau_pool), size=m, replace=True, p=p)
    return idx, np.sqrt(tau_pool.mean() / tau_pool[idx])


def fmt_dir(d):
    e, lam_eig, mass, k, ratio, j, share = d
    side = "over" if lam_eig > 1 else "under"
    return f"{side}, top-r mass {mass:.2f}, K#{k} mu/lam={ratio:.2g}"


# ---------------------------------------------------------------- cross-check of the low-rank numerics (n = 2000)
S2 = Setting(Xtr[:2000], "first 2000 rows")
rng = np.random.default_rng(12345)
w, b = draw(rng, 300)
psi = features(S2.x, w, b) / np.sqrt(300)
for lam in [1e-3, 1.0]:
    t_lr = S2.tau(w[:50], b[:50], [lam])[0]
    L = np.linalg.cholesky(S2.K + lam * np.eye(S2.n))
    t_ch = (sla.solve_triangular(L, features(S2.x, w[:50], b[:50]), lower=True) ** 2).sum(0)
    e1 = S2.eps(psi, lam)[0]
    e2 = S2.eps_dense_check(psi, lam)
    e3 = float(np.max(np.abs(S2.eig_gram(psi @ psi.T, lam))))
    log(f"check lam={lam:g}: tau max rel diff {np.max(np.abs(t_lr - t_ch) / t_ch):.1e}; eps low-rank {e1:.6f} "
        f"vs dense Cholesky {e2:.6f} vs Gram path {e3:.6f}; s_lam via eigen {S2.s_lambda(lam):.4f} vs trace "
        f"{np.trace(sla.cho_solve((L, True), S2.K)):.4f}")
S2.K = None
if "--check-only" in sys.argv:
    sys.exit(0)

# ---------------------------------------------------------------- main sweep
S5 = Setting(Xtr, "all 5000 rows")
sub = np.sort(np.random.default_rng(7).choice(5000, 2000, replace=False))
S2r = Setting(Xtr[sub], "random 2000 of the 5000")

# exact KRR test MSE on 5000 rows
Kt = kernel(Xtr, Xtr)
krr = {}
for lam in LAMS:
    alpha = sla.cho_solve(sla.cho_factor(Kt + lam * np.eye(5000)), ytr)
    krr[lam] = float(np.mean((kernel(Xte, Xtr) @ alpha - yte) ** 2))
del Kt
log(f"exact KRR (n=5000) test MSE: " + ", ".join(f"lam={l:g}: {v:.2f}" for l, v in krr.items())
    + f"; predict-mean-of-train MSE {np.mean((yte - ytr.mean()) ** 2):.2f}; predict-0 MSE {np.mean(yte ** 2):.2f}")

for S in (S2, S2r, S5):
    log(f"[{S.name}] s_lam: " + ", ".join(f"lam={l:g}: {S.s_lambda(l):.1f} (#mu>lam {S.count_above(l)})"
                                         for l in LAMS))


def rf_test_mse(w, b, scale, lam):
    m = len(b)
    ztr = features(Xtr, w, b) * (scale / np.sqrt(m))
    zte = features(Xte, w, b) * (scale / np.sqrt(m))
    theta = np.linalg.solve(ztr.T @ ztr + lam * np.eye(m), ztr.T @ ytr)
    return float(np.mean((zte @ theta - yte) ** 2))


rows = []   # (tag, lam, M, seed, method, eps-tuple, test MSE, sub2000 eps-tuple or None)
taustats = []
PMAX = pool_size(max(MS))
PSWEEP = pool_size(800)       # the C# sweep scores ONE pool of max(20*max M, 10000) = 16000 and shares it by every M


def top_info(idx, scale, taus_pool, wpool, j):
    """Describe column j of a leverage sample: tau/taubar of its candidate, |w|, weight tau-bar/tau, copies drawn."""
    c = idx[j]
    return (f"top feature: tau/taubar {taus_pool[c] / taus_pool.mean():.3g}, |w| {np.linalg.norm(wpool[c]):.2f}, "
            f"weight {scale[j] ** 2:.3g}, drawn {int(np.sum(idx == c))}x")


for seed in SEEDS:
    rng_pool = np.random.default_rng([seed, 1])
    wp, bp = draw(rng_pool, PMAX)         # master pool; the pool for M is its first pool_size(M) candidates
    rng_plain = np.random.default_rng([seed, 2])
    plain = {m: draw(rng_plain, m) for m in MS}
    for S, tag in ((S2, "n2000first"), (S5, "n5000")):
        t = time.time()
        taus = S.tau(wp, bp, LAMS)
        log(f"seed {seed} [{S.name}] tau of {PMAX} pool candidates: {time.time() - t:.1f}s")
        for jl, lam in enumerate(LAMS):
            for m in MS:
                if tag == "n5000" and m > 800 and seed != SEEDS[0]:
                    continue
                P = pool_size(m)
                tp = taus[jl, :P]
                tb = tp.mean()
                idx, scale = leverage_sample(np.random.default_rng([seed, 3, m, jl]), tp, m)
                wl, bl = wp[idx], bp[idx]
                wpl, bpl = plain[m]
                el = S.eps(features(S.x, wl, bl) * (scale / np.sqrt(m)), lam)
                ep = S.eps(features(S.x, wpl, bpl) / np.sqrt(m), lam)
                tau_plain = S.tau(wpl, bpl, [lam])[0]
                st = dict(tag=tag, seed=seed, lam=lam, M=m, P=P, s=S.s_lambda(lam), taubar=tb,
                          maxr=tp.max() / tb, minr=tp.min() / tb, frac=np.mean(tp < 0.01 * tb),
                          maxw=float((scale ** 2).max()), distinct=len(np.unique(idx)))
                taustats.append(st)
                extra = ""
                if tag == "n5000":
                    mse_l, mse_p = rf_test_mse(wl, bl, scale, lam), rf_test_mse(wpl, bpl, 1.0, lam)
                    # C#-like measurement: tau from n=5000, eps on a random 2000-row subsample (a lower bound)
                    sub_l = S2r.eps(features(S2r.x, wl, bl) * (scale / np.sqrt(m)), lam)
                    sub_p = S2r.eps(features(S2r.x, wpl, bpl) / np.sqrt(m), lam)
                    extra = (f"\n      sub2000 eps plain {sub_p[0]:.3f} lev {sub_l[0]:.3f}; "
                             f"test MSE plain {mse_p:.2f} lev {mse_l:.2f}")
                    if m <= 800:              # the C# sweep's configuration: one 16000-candidate pool for every M
                        tps = taus[jl, :PSWEEP]
                        idx2, scale2 = leverage_sample(np.random.default_rng([seed, 4, m, jl]), tps, m)
                        es = S.eps(features(S.x, wp[idx2], bp[idx2]) * (scale2 / np.sqrt(m)), lam)
                        ss = S2r.eps(features(S2r.x, wp[idx2], bp[idx2]) * (scale2 / np.sqrt(m)), lam)
                        rows.append((tag, lam, m, seed, "lev-sweeppool", es, float("nan"), ss))
                        extra += (f"\n      sweep-style pool P={PSWEEP}: eps lev {es[0]:.3f} (sub2000 {ss[0]:.3f}) "
                                  f"[{fmt_dir(es)}; {top_info(idx2, scale2, tps, wp, es[5])}, share {es[6]:.2f}]")
                else:
                    mse_l = mse_p = float("nan")
                    sub_l = sub_p = None
                rows.append((tag, lam, m, seed, "plain", ep, mse_p, sub_p))
                rows.append((tag, lam, m, seed, "leverage", el, mse_l, sub_l))
                tpl = tau_plain[ep[5]]
                log(f"  {tag} lam={lam:g} M={m} P={P} seed={seed}  [{time.time() - T0:.0f}s]"
                    f"\n      plain eps {ep[0]:.3f} [{fmt_dir(ep)}; max tau/M {tau_plain.max() / m:.2f}; top feature "
                    f"tau/M {tpl / m:.2f}, |w| {np.linalg.norm(wpl[ep[5]]):.2f}, share {ep[6]:.2f}]"
                    f"\n      leverage eps {el[0]:.3f} [{fmt_dir(el)}; taubar/M {tb / m:.3f}; max weight "
                    f"{st['maxw']:.1f}; {st['distinct']} distinct; {top_info(idx, scale, tp, wp, el[5])}, "
                    f"share {el[6]:.2f}]" + extra)


# ---------------------------------------------------------------- pool floor: eps of the whole pool, equally weighted
def pool_gram(S, wp, bp, P):
    G = np.zeros((S.n, S.n))
    for s0 in range(0, P, 4000):
        f = features(S.x, wp[s0:min(P, s0 + 4000)], bp[s0:min(P, s0 + 4000)])
        G += f @ f.T
    return G / P


def top_eig_lm(S, gram, lam, k=2):
    """Largest-|.| eigenpairs of W gram W - U diag(mu/(mu+lam)) U^T by Lanczos (for n = 5000)."""
    from scipy.sparse.linalg import eigsh, LinearOperator
    a, dc = 1 / np.sqrt(lam), 1 / np.sqrt(S.mu + lam) - 1 / np.sqrt(lam)
    delta = S.mu / (S.mu + lam)
    W = lambda v: a * v + S.U @ (dc * (S.U.T @ v))
    op = LinearOperator((S.n, S.n), matvec=lambda v: W(gram @ W(v)) - S.U @ (delta * (S.U.T @ v)), dtype=float)
    ev, V = eigsh(op, k=k, which="LM", tol=1e-8)
    i = int(np.argmax(np.abs(ev)))
    return float(ev[i]), V[:, i], W


log("\n== pool floor: eps of all P pool candidates equally weighted (= E of the leverage estimator over its M draws)")
pool_rows = []
for seed in SEEDS[:2]:
    wp, bp = draw(np.random.default_rng([seed, 1]), PMAX)
    for P in sorted({pool_size(m) for m in MS}):
        g = pool_gram(S2, wp, bp, P)
        for lam in LAMS:
            ev = S2.eig_gram(g, lam)
            i = int(np.argmax(np.abs(ev)))
            pool_rows.append(("n2000first", seed, P, lam, abs(ev[i])))
            log(f"  n2000first seed={seed} P={P} lam={lam:g}: eps(pool) {abs(ev[i]):.3f} "
                f"(whitened eigenvalue {1 + ev[i]:.3f})  [{time.time() - T0:.0f}s]")
        del g

for seed in SEEDS:
    wp, bp = draw(np.random.default_rng([seed, 1]), PMAX)
    P = PSWEEP
    g = pool_gram(S5, wp, bp, P)
    for lam in (LAMS if seed == SEEDS[0] else [1e-3]):
        dev, v, W = top_eig_lm(S5, g, lam)
        pool_rows.append(("n5000", seed, P, lam, abs(dev)))
        msg = f"  n5000 seed={seed} P={P} lam={lam:g}: eps(pool) {abs(dev):.3f} (whitened eigenvalue {1 + dev:.3f})"
        if lam == 1e-3:
            # which pool candidates carry that eigen-direction: share_j = (v^T W phi_j)^2 / P / (v^T W g W v)
            u = W(v)
            proj = np.concatenate([u @ features(S5.x, wp[s0:min(P, s0 + 4000)], bp[s0:min(P, s0 + 4000)])
                                   for s0 in range(0, P, 4000)])
            share = proj ** 2 / np.sum(proj ** 2)
            tpool = S5.tau(wp[:P], bp[:P], [lam])[0]
            o = np.argsort(share)[::-1][:5]
            msg += "\n      top candidates along it: " + "; ".join(
                f"share {share[c]:.2f} tau/taubar {tpool[c] / tpool.mean():.0f} (tau/P {tpool[c] / P:.2f}) "
                f"|w| {np.linalg.norm(wp[c]):.2f}" for c in o)
            msg += (f"\n      pool tau: max/mean {tpool.max() / tpool.mean():.0f}, max tau/P {tpool.max() / P:.2f}; "
                    f"candidates with |w|>3.5: {int(np.sum(np.linalg.norm(wp[:P], axis=1) > 3.5))}")
            for k in (1, 3, 10):
                rm = o[:k] if k <= 5 else np.argsort(share)[::-1][:k]
                f = features(S5.x, wp[rm], bp[rm])
                g2 = (g * P - f @ f.T) / (P - k)
                d2, _, _ = top_eig_lm(S5, g2, lam)
                msg += f"\n      without its top {k} candidate(s): eps(pool) {abs(d2):.3f}"
                del g2
        log(msg + f"  [{time.time() - T0:.0f}s]")
    del g

# ---------------------------------------------------------------- lambda by validation (as bench/leverage.sh)
log("\n== exact KRR validation MSE, 75/25 random splits of the 5000 training rows (standardization of the whole file)")
for sp in range(3):
    perm = np.random.default_rng([99, sp]).permutation(5000)
    a_, v_ = perm[:3750], perm[3750:]
    Ka = kernel(Xtr[a_], Xtr[a_])
    Kva = kernel(Xtr[v_], Xtr[a_])
    out = []
    for lam in [1e-3, 1e-2, 1e-1, 1, 10]:
        al = sla.cho_solve(sla.cho_factor(Ka + lam * np.eye(3750)), ytr[a_])
        out.append(f"{lam:g}: {np.mean((Kva @ al - ytr[v_]) ** 2):.1f}")
    log(f"  split {sp}: " + ", ".join(out) + f"; mean predictor {np.mean((ytr[v_] - ytr[a_].mean()) ** 2):.1f}")
Kt = kernel(Xtr, Xtr)
Kte = kernel(Xte, Xtr)
out = []
for lam in [1e-2, 10, 100]:
    al = sla.cho_solve(sla.cho_factor(Kt + lam * np.eye(5000)), ytr)
    out.append(f"{lam:g}: {np.mean((Kte @ al - yte) ** 2):.2f}")
log("  test MSE of exact KRR (n=5000), more lambdas: " + ", ".join(out))
del Kt, Kte


# ---------------------------------------------------------------- summary tables (medians over seeds)
def med(v):
    return float(np.median(v)) if len(v) else float("nan")


log("\n== summary: medians over seeds " + str(SEEDS) + " (n5000 M=3200: seed " + str(SEEDS[0]) + " only)")
log(f"{'rows':>11} {'lam':>6} {'s_lam':>6} {'M':>5} {'P':>6} {'taubar':>7} {'max/mean':>8} {'min/mean':>9} "
    f"{'frac<.01':>8} {'eps plain':>9} {'eps lev':>8} {'lev P16k':>8} {'sub2k pl':>8} {'sub2k lev':>9} "
    f"{'sub2k P16k':>10} {'MSE plain':>9} {'MSE lev':>8} {'KRR MSE':>8}")
for tag in ("n2000first", "n5000"):
    for lam in LAMS:
        for m in MS:
            st = [s for s in taustats if s["tag"] == tag and s["lam"] == lam and s["M"] == m]
            sel = lambda meth: [r for r in rows if r[0] == tag and r[1] == lam and r[2] == m and r[4] == meth]
            rp, rl, rs = sel("plain"), sel("leverage"), sel("lev-sweeppool")
            e = lambda rr: med([r[5][0] for r in rr])
            sb = lambda rr: med([r[7][0] for r in rr if r[7] is not None])
            log(f"{tag:>11} {lam:>6g} {st[0]['s']:>6.1f} {m:>5} {st[0]['P']:>6} {med([s['taubar'] for s in st]):>7.1f} "
                f"{med([s['maxr'] for s in st]):>8.1f} {med([s['minr'] for s in st]):>9.2e} "
                f"{med([s['frac'] for s in st]):>8.4f} {e(rp):>9.3f} {e(rl):>8.3f} {e(rs):>8.3f} {sb(rp):>8.3f} "
                f"{sb(rl):>9.3f} {sb(rs):>10.3f} {med([r[6] for r in rp]):>9.2f} {med([r[6] for r in rl]):>8.2f} "
                f"{krr[lam] if tag == 'n5000' else float('nan'):>8.2f}")
log("\nper-seed eps (plain / leverage / leverage with the sweep's 16k pool):")
for tag in ("n2000first", "n5000"):
    for lam in LAMS:
        for m in MS:
            per = []
            for seed in SEEDS:
                rr = {r[4]: r[5][0] for r in rows if r[0] == tag and r[1] == lam and r[2] == m and r[3] == seed}
                if rr:
                    per.append(f"s{seed}: {rr['plain']:.2f}/{rr['leverage']:.2f}"
                               + (f"/{rr['lev-sweeppool']:.2f}" if "lev-sweeppool" in rr else ""))
            log(f"  {tag} lam={lam:g} M={m}: " + "  ".join(per))
log(f"\ntotal {time.time() - T0:.0f}s")
