"""``Memory``: the Python API — one namespace of one store, with its models.

    from hippo import Memory
    with Memory(store="sqlite:///.hippo/hippo.db") as memory:
        memory.index(["docs/"])
        result = memory.query("Who directed the film that …?", top_k=5)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hippo.config import Settings
from hippo.embed import Embedder, embedder_for
from hippo.errors import UserError
from hippo.index.extract.base import Extractor, Progress, no_progress
from hippo.index.ingest import read_sources
from hippo.index.pipeline import Indexer, IndexReport
from hippo.retrieve.retriever import FactFilter, Retriever
from hippo.retrieve.snapshot import SENTENCE, GraphSnapshot
from hippo.retrieve.snapshot_cache import SnapshotCache
from hippo.service import limits
from hippo.store import open_store
from hippo.store.base import GraphStore
from hippo.types import Document, QueryResult

if TYPE_CHECKING:  # the filter pulls in the LLM client; only queries that use it need it
    from hippo.retrieve.recognition import RecognitionFilter


class Memory:
    def __init__(
        self,
        settings: Settings | None = None,
        *,
        store: GraphStore | str | None = None,
        embedder: Embedder | None = None,
        extractor: Extractor | None = None,
        fact_filter: FactFilter | None = None,
        **overrides: Any,
    ) -> None:
        if isinstance(store, str):  # a URI is a setting, an object is a ready store
            overrides["store"], store = store, None
        self.settings = (settings or Settings.from_env()).replace(**overrides)
        self.namespace = self.settings.namespace
        self._owns_store = store is None
        self.store = store or open_store(self.settings.store, self.settings)
        self._embedder = embedder
        self._extractor = extractor
        self._snapshots = SnapshotCache.for_settings(self.settings)
        self._fact_filter = fact_filter
        self._recognition: RecognitionFilter | None = None

    # --- lazily loaded parts (models cost seconds; `hippo stats` needs none) -------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = embedder_for(self.settings)
        return self._embedder

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            self._extractor = self._make_extractor()
        return self._extractor

    def _make_extractor(self, openie: str | None = None) -> Extractor:
        if openie:
            from hippo.index.extract.openie_import import ImportedExtractor

            if not Path(openie).is_file():
                raise UserError(f"no such OpenIE file: {openie}")
            return ImportedExtractor(openie, fallback=self._make_extractor())
        if self.settings.extractor == "llm":
            from hippo.index.extract.llm_extractor import LLMExtractor
            from hippo.llm.client import LLMClient

            return LLMExtractor(LLMClient.from_settings(self.settings, role="llm"))
        from hippo.index.extract.spacy_extractor import SpacyExtractor

        return SpacyExtractor(self.settings.spacy_model)

    @property
    def retriever(self) -> Retriever:
        return self._retriever(None)

    def _retriever(self, recognition_filter: bool | None) -> Retriever:
        """The retriever, with HippoRAG 2's LLM recognition filter on the linked facts when asked
        (per call, else HIPPO_RECOGNITION_FILTER); a fact_filter given to Memory always applies."""
        fact_filter = self._fact_filter
        wanted = self.settings.recognition_filter if recognition_filter is None else recognition_filter
        if fact_filter is None and wanted:
            fact_filter = self.recognition_filter
        return Retriever(self.store, self.embedder, self.settings, self._snapshots, fact_filter)

    @property
    def recognition_filter(self) -> RecognitionFilter:
        """The LLM recognition filter (built once; needs HIPPO_LLM_* or OPENAI_API_KEY)."""
        if self._recognition is None:
            from hippo.llm.client import LLMClient
            from hippo.retrieve.recognition import RecognitionFilter

            self._recognition = RecognitionFilter(LLMClient.from_settings(self.settings, role="llm"))
        return self._recognition

    def with_namespace(self, ns: str) -> Memory:
        """The same store and models, another namespace."""
        other = Memory(
            self.settings.replace(namespace=ns), store=self.store, embedder=self._embedder,
            extractor=self._extractor, fact_filter=self._fact_filter,
        )
        other._snapshots = self._snapshots
        other._recognition = self._recognition
        return other

    # --- job 1: indexing --------------------------------------------------------------------
    def index(
        self,
        paths: Sequence[str | Path],
        *,
        replace: bool = False,
        openie: str | None = None,
        progress: Progress = no_progress,
        text_column: str = "text",
        title_column: str | None = None,
        id_column: str | None = None,
    ) -> IndexReport:
        """Read files/folders and index their documents. Unreadable items are reported in
        ``report.problems``; the rest is indexed. The ``*_column`` arguments name the columns of
        tables (CSV, TSV, Parquet) and saved Hugging Face datasets; title and id default to
        columns called "title" and "id" when present."""
        from hippo.index.readers.columns import TableColumns

        columns = TableColumns(text=text_column, title=title_column, id=id_column)
        result = read_sources(paths, self.settings.max_document_chars, columns)
        if not result.documents:
            detail = "; ".join(str(p) for p in result.problems[:3])
            raise UserError("no documents to index" + (f" ({detail})" if detail else ""))
        report = self.add_documents(result.documents, replace=replace, openie=openie, progress=progress)
        report.problems[:0] = [str(p) for p in result.problems]
        # the snapshot for the new version is made now, on disk, so that the next query process
        # (CLI, API worker, MCP server) maps it instead of reading the graph from the store;
        # with the retrieval layer on, the bridge mode's layout is written beside it (and its
        # sentence index, when the layer is large enough for one)
        snapshot = self._snapshots.refresh(self.store, self.namespace)
        if self.settings.retrieval_layer and snapshot.disk_path is not None:
            snapshot.vector_index(SENTENCE)
        return report

    def add_documents(
        self,
        documents: Sequence[Document],
        *,
        replace: bool = False,
        openie: str | None = None,
        progress: Progress = no_progress,
    ) -> IndexReport:
        limits.check_each_document(documents, self.settings.max_document_chars)  # as every interface
        extractor = self._make_extractor(openie) if openie else self.extractor
        indexer = Indexer(self.store, self.embedder, extractor, self.settings, self._snapshots)
        return indexer.index(self.namespace, documents, replace=replace, progress=progress)

    def delete(self, doc_ids: Sequence[str]) -> int:
        return self.store.delete_documents(self.namespace, list(doc_ids))

    # --- job 2: retrieval -------------------------------------------------------------------
    def query(
        self, text: str, top_k: int = 5, mode: str | None = None, recognition_filter: bool | None = None
    ) -> QueryResult:
        """Ranked passages with their explanation. ``recognition_filter`` turns HippoRAG 2's LLM
        filter on the linked facts on or off for this query (default: HIPPO_RECOGNITION_FILTER)."""
        if not text.strip():
            raise UserError("the query is empty")
        if top_k < 1:
            raise UserError("top_k must be at least 1")
        return self._retriever(recognition_filter).query(self.namespace, text, top_k=top_k, mode=mode)

    def snapshot(self) -> GraphSnapshot:
        return self._snapshots.get(self.store, self.namespace)

    # --- inspection -------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        s = self.store.stats(self.namespace)
        return {
            "store": self.store.uri,
            "namespace": self.namespace,
            "documents": s.documents,
            "passages": s.passages,
            "entities": s.entities,
            "facts": s.facts,
            "context_edges": s.mentions,
            "synonym_edges": s.synonyms,
            "sentences": s.sentences,
            "failed_passages": s.failed_passages,
            "pending_synonymy": len(self.store.pending_synonyms(self.namespace)),
            "version": self.store.version(self.namespace),
        }

    def fingerprint(self) -> str:
        return self.store.fingerprint(self.namespace)

    def close(self) -> None:
        if self._owns_store:
            self.store.close()

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
