"""Synthesis of KG-grounded training data (job 3): units, blind spots, subgraphs, generators,
filters, formats, the quality report. The entry point is :class:`hippo.synth.pipeline.Synthesizer`."""
