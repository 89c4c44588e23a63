"""Zones: a polygon, the lot it belongs to, its hourly rate and its providers by tier."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any, Literal

import shapely
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from shapely.geometry import shape

from zones.errors import UnknownZone


class Tier(StrEnum):
    """A provider's standing in a zone under the council's framework (see domain.md)."""

    STRATEGIC = "strategic"  # Oxfordshire Lot 1A strategic provider
    SHADOW = "shadow"  # Oxfordshire Lot 1A shadow 1..n (rank says which)
    ACCREDITED_ZONAL = "accredited_zonal"  # Oxfordshire Lot 1B, first access in the zone
    ZONAL = "zonal"  # Oxfordshire Lot 1B
    LEAD = "lead"  # West Northamptonshire, Leicestershire
    SECONDARY = "secondary"  # West Northamptonshire
    SUPPLEMENTARY = "supplementary"  # Leicestershire
    APPROVED = "approved"  # Cambridgeshire dynamic purchasing system
    SPOT = "spot"  # off-framework


class Lot(StrEnum):
    """The service a package or zone set is for (the framework's lot or service element)."""

    REABLEMENT = "reablement"
    HOME_CARE = "home_care"
    LIVE_IN = "live_in"
    WAKING_NIGHT = "waking_night"
    SLEEPING_NIGHT = "sleeping_night"
    EXTRA_CARE = "extra_care"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ZoneProvider(_Frozen):
    """One provider's place in a zone: its tier and, within the tier, its rank (1 first)."""

    provider_id: str = Field(min_length=1)
    tier: Tier
    rank: int = Field(1, ge=1, description="order within the tier, e.g. shadow 1, 2, 3")


class Zone(_Frozen):
    """A zone of one lot: polygon (GeoJSON geometry, WGS84 lon/lat), rate and providers by tier."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    lot: Lot = Lot.HOME_CARE
    geometry: dict[str, Any] = Field(description="GeoJSON Polygon or MultiPolygon, lon/lat")
    hourly_rate_pence: int | None = Field(None, ge=0)
    providers: list[ZoneProvider] = Field(default_factory=list)

    @field_validator("geometry")
    @classmethod
    def _polygonal(cls, value: dict[str, Any]) -> dict[str, Any]:
        if value.get("type") not in {"Polygon", "MultiPolygon"}:
            raise ValueError(f"must be a GeoJSON Polygon or MultiPolygon, not {value.get('type')}")
        try:
            geom = shape(value)
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise ValueError(f"not a readable GeoJSON geometry ({exc})") from exc
        if geom.is_empty:
            raise ValueError("is empty")
        return json.loads(json.dumps(value))  # plain lists, as JSON gives them back

    def polygon(self) -> shapely.Geometry:
        """The zone as a shapely geometry (lon/lat)."""
        return shape(self.geometry)

    def providers_in(self, tier: Tier) -> list[str]:
        """Provider ids of ``tier`` in rank order."""
        return [
            p.provider_id for p in sorted(self.providers, key=lambda p: p.rank) if p.tier == tier
        ]


class ZoneSet(_Frozen):
    """A versioned set of zones for one lot of one council (e.g. Oxfordshire Lot 1B, 13 zones).

    The providers-by-tier table lives in each zone (``Zone.providers``): data, not code.
    """

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    council: str = Field(min_length=1)
    lot: Lot = Lot.HOME_CARE
    version: int = Field(1, ge=1)
    status: Literal["draft", "published"] = "draft"
    zones: list[Zone] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> ZoneSet:
        seen: set[str] = set()
        for i, z in enumerate(self.zones):
            if z.id in seen:
                raise ValueError(f"zones[{i}].id: {z.id!r} is used by another zone")
            seen.add(z.id)
        return self

    def zone(self, zone_id: str) -> Zone:
        """The zone with ``zone_id``; UnknownZone (a KeyError) naming the known ids if absent."""
        for z in self.zones:
            if z.id == zone_id:
                return z
        raise UnknownZone(
            f"zone {zone_id!r} not in zone set {self.id!r} "
            f"(zones: {', '.join(z.id for z in self.zones)})"
        )
