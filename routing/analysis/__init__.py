"""Analysis over planned runs: mileage and carbon, what-ifs, optimised runs for a period,
the county replan (in-process or on Dask), and the mileage and carbon report's model.
"""

from __future__ import annotations

from routing.analysis.county import (
    SCHEDULER_ENV,
    CountyNoteCode,
    CountyPlan,
    DaskExecutor,
    ProviderDay,
    local_cluster,
    replan,
)
from routing.analysis.optimised import (
    Optimised,
    optimised_runs,
)
from routing.analysis.pooled import PooledComparison, compare_pooled
from routing.analysis.report import Report, build_report, report_json
from routing.analysis.whatif import (
    Side,
    Variant,
    WhatIf,
    compare,
    pool_by_zone,
    recruit_local,
    switch_mode,
    use_zone_set,
)

__all__ = [
    "SCHEDULER_ENV",
    "CountyNoteCode",
    "CountyPlan",
    "DaskExecutor",
    "Optimised",
    "PooledComparison",
    "ProviderDay",
    "Report",
    "Side",
    "Variant",
    "WhatIf",
    "build_report",
    "compare",
    "compare_pooled",
    "local_cluster",
    "optimised_runs",
    "pool_by_zone",
    "recruit_local",
    "replan",
    "report_json",
    "switch_mode",
    "use_zone_set",
]
