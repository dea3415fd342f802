"""What the recipes share when they write records: the synthesiser call, the shared prompt
parts, offline question wording, the item's own sentences, provenance."""
