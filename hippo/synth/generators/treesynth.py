"""TreeSynth: generation at the leaves of a tree that splits the task space into mutually
exclusive attribute values taken from the graph (the subject's entity type, the relation kind,
the community; see :mod:`hippo.synth.treesynth_tree`). Every leaf gets the same quota of
questions, and the report shows leaf coverage and balance. Offline the questions are natural
questions over the leaf's facts; the LLM path writes them from the leaf's facts and its
attribute path."""

from __future__ import annotations

from hippo.llm.client import LLMClient
from hippo.synth.generators import prompts
from hippo.synth.generators.base import GenerationFailed, WorkItem, register_recipe
from hippo.synth.generators.llm_calls import ask_json
from hippo.synth.generators.template import atomic_pair
from hippo.synth.records import Candidate, Provenance


class TreeSynthRecipe:
    name = "treesynth"
    has_template = True
    work = "tree"
    output = "qa"
    option_names = ("tree_levels",)

    def _tag(self, cand: Candidate, item: WorkItem) -> Candidate:
        cand.mode = self.name
        cand.extra["leaf"] = item.attrs.get("leaf", "")
        return cand

    def template(self, item: WorkItem) -> list[Candidate]:
        quota = int(item.attrs.get("quota", 1))
        facts = [item.units.facts[f] for f in item.subgraph.fact_ids if f in item.units.facts]
        # over-generate a little: the filters may reject some, the quota caps what is kept
        return [self._tag(atomic_pair(f, item.rng, item.entity_kinds()), item) for f in facts[: quota * 2]]

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        quota = int(item.attrs.get("quota", 1))
        facts = list(item.units.facts.values())
        prompt = (
            f"{prompts.render_subgraph(item.units)}\n\nThese facts belong to one branch of a task tree: "
            f"{item.attrs.get('leaf', '')}. Write {quota} different questions, each answered by one numbered fact, "
            'with their answers. Reply as {"pairs": [{"fact": <number>, "question": "...", "answer": "..."}]}.'
        )
        out: list[Candidate] = []
        for row in ask_json(client, prompt).get("pairs") or []:
            if not isinstance(row, dict):
                continue
            try:
                fact = facts[int(row.get("fact", 0)) - 1]
            except (TypeError, ValueError, IndexError):
                continue
            q, a = str(row.get("question") or "").strip(), str(row.get("answer") or "").strip()
            prov = Provenance(list(fact.passage_ids), [fact.id], [fact.subject_id, fact.object_id])
            out.append(self._tag(Candidate(q, a, self.name, model_label, prov), item))
        if not out:
            raise GenerationFailed("llm_bad_json", "no usable pair for the leaf")
        return out

    def rules(self, cand: Candidate, item: WorkItem) -> str | None:
        """The leaf's quota: balance across leaves is the point of the tree."""
        if int(item.attrs.get("_kept", 0)) >= int(item.attrs.get("quota", 1)):
            return "leaf_quota_reached"
        return None

    def accepted(self, cand: Candidate, item: WorkItem) -> None:
        item.attrs["_kept"] = int(item.attrs.get("_kept", 0)) + 1


register_recipe(TreeSynthRecipe)
