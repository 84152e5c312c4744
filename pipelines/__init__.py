"""The Marsad Dagster code location.

Dagster marks some of the APIs used here (``backfill_policy``, ``pool``) as beta or preview
and warns on every load; those notices are about the API's stability, not about the data, so
they are not shown. Every other warning still reaches the log.
"""

import warnings

import dagster as dg

for _notice in (dg.BetaWarning, dg.PreviewWarning, dg.SupersessionWarning):
    warnings.filterwarnings("ignore", category=_notice)
