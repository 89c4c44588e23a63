"""The care domain and its optimisers, by subsystem (imports point down only):

- ``routing.analysis``: mileage and carbon, what-ifs, the county replan;
- ``routing.brokerage``: insertion, ranking policies, the ranker, allocation;
- ``routing.runs``: the run optimiser (OR-Tools), its checker, day and week plans;
- ``routing.domain``: the domain model, scenarios, the generator;
- ``routing.errors``: the errors of this layer.

Nothing is imported here eagerly: ``import routing.domain`` must not load OR-Tools or Dask.
"""

__all__ = ["analysis", "brokerage", "domain", "errors", "runs"]
