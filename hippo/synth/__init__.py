"""Synthesis of KG-grounded training data (job 3): units, blind spots, subgraphs, one folder per
recipe (:mod:`hippo.synth.recipes`), filters, formats, the quality report. The entry point is
:class:`hippo.synth.pipeline.Synthesizer`; its options are :class:`hippo.synth.options.SynthOptions`."""
