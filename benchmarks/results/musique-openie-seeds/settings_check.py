import json, sys
import numpy as np
from hippo.bench.datasets import load_dataset
from hippo.bench.gold import GoldIndex
from hippo.bench.metrics import all_evidence_at_k, dedupe, mean, recall_at_k
from hippo.config import Settings
from hippo.memory import Memory
from hippo.retrieve.retriever import Retriever
data, db = sys.argv[1], sys.argv[2]
ds = load_dataset(data); gold = GoldIndex(ds.corpus); targets = [gold.target(q) for q in ds.questions]
m = Memory(Settings().replace(store=f"sqlite:///{db}", namespace="bench"))
snap = m.snapshot()
passages = {p.id: p for p in m.store.get_passages(m.namespace, list(snap.export.passage_ids))}
doc_of = [passages[pid].doc_id for pid in snap.export.passage_ids]
def ev(rows_list):
    out = {"R@2": [], "R@5": [], "R@10": [], "AE@5": []}
    for rows, t in zip(rows_list, targets):
        keys = gold.ranked_keys(dedupe([doc_of[r] for r in rows[:60]]), t.mode)
        for k in (2, 5, 10): out[f"R@{k}"].append(recall_at_k(keys, t.keys, k))
        out["AE@5"].append(float(all_evidence_at_k(keys, t.keys, 5)))
    return {k: round(100 * mean(v), 1) for k, v in out.items()}
for cfg in json.loads(sys.argv[3]):
    r = Retriever(m.store, m.embedder, m.settings.replace(**cfg), m._snapshots)
    mode = cfg.pop("_mode", None) or "hipporag2"
    print(json.dumps(cfg), ev([r.rank(snap, q.question, mode if "dense" not in json.dumps(cfg) or True else mode).rows for q in ds.questions]), flush=True)
