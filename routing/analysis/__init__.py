"""Analysis over planned runs: mileage and carbon, what-ifs, optimised runs for a period,
and the county replan (in-process or on Dask).
"""

from __future__ import annotations

from routing.analysis.county import (
    SCHEDULER_ENV,
    CountyNoteCode,
    CountyPlan,
    ProviderDay,
    local_cluster,
    replan,
)
from routing.analysis.optimised import (
    Optimised,
    optimised_runs,
)
from routing.analysis.whatif import (
    Side,
    Variant,
    WhatIf,
    compare,
    pool_by_zone,
    recruit_local,
    switch_mode,
    use_zone_map,
)

__all__ = [
    "SCHEDULER_ENV",
    "CountyNoteCode",
    "CountyPlan",
    "Optimised",
    "ProviderDay",
    "Side",
    "Variant",
    "WhatIf",
    "compare",
    "local_cluster",
    "optimised_runs",
    "pool_by_zone",
    "recruit_local",
    "replan",
    "switch_mode",
    "use_zone_map",
]
