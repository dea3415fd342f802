"""Exploration harness (not landed): variants of seed weighting, graph weights and fusion over a
cached benchmark index. Usage: explore.py DATA DB [grid-json]"""
import itertools, json, sys, time
import numpy as np
import igraph as ig
from hippo.bench.datasets import load_dataset
from hippo.bench.gold import GoldIndex
from hippo.bench.metrics import all_evidence_at_k, dedupe, mean, recall_at_k
from hippo.config import Settings
from hippo.memory import Memory
from hippo.retrieve.ranking import min_max, top_k_stable
from hippo.retrieve.snapshot import EdgeArrays, merged_csr

data, db = sys.argv[1], sys.argv[2]
ds = load_dataset(data)
gold = GoldIndex(ds.corpus)
targets = [gold.target(q) for q in ds.questions]
m = Memory(Settings().replace(store=f"sqlite:///{db}", namespace="bench"))
snap = m.snapshot()
exp = snap.export
passages = {p.id: p for p in m.store.get_passages(m.namespace, exp.passage_ids)}
doc_of = [passages[pid].doc_id for pid in exp.passage_ids]
t0 = time.time()
Q = m.embedder.embed([q.question for q in ds.questions])
print(f"# {len(ds.questions)} q, {snap.n_entities} ent, {len(exp.fact_ids)} facts, {snap.n_passages} psg; qemb {time.time()-t0:.1f}s", flush=True)
n_e = snap.n_entities
DENSE = Q @ exp.passage_emb.T
FACT = Q @ exp.fact_emb.T if exp.fact_ids else None
# own distinct passages
ctx = snap.edges["context"]
pe = np.unique(np.stack([np.asarray(ctx.src), np.asarray(ctx.dst)], 1), axis=0)
ent_end = np.where(pe[:, 0] < n_e, pe[:, 0], pe[:, 1])
own_counts = np.bincount(ent_end, minlength=n_e).astype(float)

def build_graph(rel_mult, syn_mult=1.0):
    mult = {"relation": rel_mult, "synonym": syn_mult}
    edges = [EdgeArrays(e.src, e.dst, np.asarray(e.weight) * mult.get(k, 1.0)) for k, e in snap.edges.items()]
    n = snap.n_vertices
    indptr, indices, vals, _ = merged_csr(n, edges)
    rows = np.repeat(np.arange(n), np.diff(indptr)); cols = np.asarray(indices, dtype=np.int64); up = cols > rows
    g = ig.Graph(n=n, edges=np.stack([rows[up], cols[up]], axis=1), directed=False); g.es["weight"] = np.asarray(vals)[up].tolist(); return g
GRAPHS = {}
def graph(rel_mult, syn_mult):
    key = (rel_mult, syn_mult)
    if key not in GRAPHS: GRAPHS[key] = snap.graph if key == (1.0, 1.0) else build_graph(rel_mult, syn_mult)
    return GRAPHS[key]

def seeds(i, c):
    fsc = min_max(FACT[i]); top = top_k_stable(fsc, c["top_facts"])
    spec = snap.entity_passage_count if c["spec"] == "word" else own_counts
    w = np.zeros(n_e); cnt = np.zeros(n_e)
    for f in top:
        for v in (snap.fact_subject[f], snap.fact_object[f]):
            if v >= 0:
                w[v] += fsc[f] / max(spec[v], 1.0); cnt[v] += 1
    if c["agg"] == "mean": w = np.divide(w, cnt, out=np.zeros_like(w), where=cnt > 0)
    nz = np.flatnonzero(w > 0); sel = nz[np.argsort(-w[nz], kind="stable")[: c["top_entities"]]]
    reset = np.zeros(snap.n_vertices); reset[sel] = w[sel]
    reset[n_e:] = min_max(DENSE[i]) * c["pw"]
    return reset

MASS = {}
def mass(i, c):
    key = (i, c["top_facts"], c["top_entities"], c["spec"], c["agg"], c["pw"], c["damping"], c["rel"], c["syn"])
    if key not in MASS:
        g = graph(c["rel"], c["syn"])
        r = seeds(i, c)
        MASS[key] = np.asarray(g.personalized_pagerank(directed=False, damping=c["damping"], reset=r.tolist(), weights="weight", implementation="prpack"))[n_e:]
    return MASS[key]

def rrf(ranks_lists, k=60, weights=None):
    pass

def final_rows(i, c):
    pm = mass(i, c); d = DENSE[i]
    f = c.get("fusion", "none")
    if f == "none": s = pm
    elif f == "score": s = (1 - c["beta"]) * min_max(pm) + c["beta"] * min_max(d)
    elif f == "rrf":
        rg = np.empty(pm.size); rg[np.argsort(-pm, kind="stable")] = np.arange(pm.size)
        rd = np.empty(d.size); rd[np.argsort(-d, kind="stable")] = np.arange(d.size)
        s = (1 - c["beta"]) / (c.get("rrf_k", 60) + rg + 1) + c["beta"] / (c.get("rrf_k", 60) + rd + 1)
    elif f == "logmass":
        s = (1 - c["beta"]) * np.log(pm + 1e-12) + c["beta"] * d / c.get("temp", 0.05)
    rows = np.argsort(-s, kind="stable")
    g = c.get("guard", 0)
    if g:
        # bounded demotion: dense's top-R passages appear no lower than dense rank + M
        R, M = g
        drows = np.argsort(-d, kind="stable")[:R]
        deadline = {int(r): j + M for j, r in enumerate(drows)}
        out, placed = [], set()
        it = iter(rows.tolist())
        pending = sorted(deadline.items(), key=lambda kv: kv[1])
        while len(out) < 60:
            pos = len(out)
            due = [r for r, dl in pending if dl <= pos and r not in placed]
            if due:
                r = due[0]
            else:
                r = next(it)
                while r in placed: r = next(it)
            out.append(r); placed.add(r)
        rows = np.array(out)
    return rows

def evaluate(rank_fn):
    r2, r5, r10, ae = [], [], [], []
    per = []
    for i, t in enumerate(targets):
        keys = gold.ranked_keys(dedupe([doc_of[r] for r in rank_fn(i)[:60]]), t.mode)
        a, b = recall_at_k(keys, t.keys, 2), recall_at_k(keys, t.keys, 5)
        r2.append(a); r5.append(b); r10.append(recall_at_k(keys, t.keys, 10)); ae.append(float(all_evidence_at_k(keys, t.keys, 5)))
        per.append((a, b))
    return {"R@2": round(100*mean(r2), 1), "R@5": round(100*mean(r5), 1), "R@10": round(100*mean(r10), 1), "AE@5": round(100*mean(ae), 1)}, per

dense_res, dense_per = evaluate(lambda i: np.argsort(-DENSE[i], kind="stable"))
print("dense", dense_res, flush=True)
base = {"top_facts": 5, "top_entities": 5, "spec": "word", "agg": "sum", "pw": 0.05, "damping": 0.5, "rel": 1.0, "syn": 1.0, "fusion": "none", "beta": 0.0}
grid = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
names = list(grid)
for values in itertools.product(*(grid[n] for n in names)):
    c = dict(base, **dict(zip(names, values)))
    if c.get("guard"): c["guard"] = tuple(c["guard"])
    res, per = evaluate(lambda i: final_rows(i, c))
    w2 = sum(p[0] < d[0] for p, d in zip(per, dense_per)); b2 = sum(p[0] > d[0] for p, d in zip(per, dense_per))
    w5 = sum(p[1] < d[1] for p, d in zip(per, dense_per)); b5 = sum(p[1] > d[1] for p, d in zip(per, dense_per))
    print(json.dumps(dict(zip(names, values))), res, f"vs dense R@2 -{w2}/+{b2} R@5 -{w5}/+{b5}", flush=True)
