"""One partition per input file, keyed by its absolute path."""

import dagster as dg

input_files = dg.DynamicPartitionsDefinition(name="input_files")
