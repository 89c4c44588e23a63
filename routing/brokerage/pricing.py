"""What a package costs under a policy's price rule, and the note that says how it was set.

``fixed``: the framework's rate for the lot (Oxfordshire's £29.07/h; live-in by the week,
with or without break, chosen by the request's ``price_option``); ``zone``: the zone's hourly
rate (West Northamptonshire Table 2); ``provider``: the provider's own rate (Leicestershire,
Cambridgeshire). Weekly price = the package's weekly carer seconds x rate / 3600, rounded to
the penny (double-handed calls count twice, as they are paid). Care homes are priced by
their band (``routing.brokerage.care_homes``). Money in pence.
"""

from __future__ import annotations

from collections.abc import Callable

from routing.brokerage.policy import Policy
from routing.brokerage.precision import gbp, shown
from routing.brokerage.request import RankingError, RankingRequest
from routing.domain.model import Provider
from zones.model import Lot, Zone

#: provider -> (hourly rate in pence, weekly price in pence); None where not known.
PriceTerms = Callable[[Provider], tuple[int | None, int | None]]


def weekly_pence(seconds: int, hourly_pence: int) -> int:
    """Pence a week for ``seconds`` of care a week at ``hourly_pence``, to the nearest penny."""
    return (seconds * hourly_pence + 1800) // 3600


def price_terms(
    policy: Policy, req: RankingRequest, zone: Zone | None, lot: Lot, seconds: int
) -> tuple[PriceTerms, list[str]]:
    """(provider -> (hourly pence, weekly pence), notes saying how the price was set) for
    ``seconds`` of care a week in ``lot``; an unknown ``price_option`` is a RankingError."""
    rule, notes = policy.price, []
    hours = shown(seconds / 3600, "hours")
    hourly: int | None = None
    weekly: int | None = None
    if rule.basis == "fixed":
        options = rule.weekly_pence.get(lot)
        hourly = rule.hourly_pence.get(lot)
        if options:
            hourly = None
            chosen = req.price_option
            if chosen is None and len(options) == 1:
                chosen = next(iter(options))
            if chosen is None:
                listing = ", ".join(f"{k} {gbp(v)}" for k, v in options.items())
                notes.append(
                    f"Price: {lot} is priced by the week ({listing} a week); "
                    "name the option in price_option to show it."
                )
            elif chosen not in options:
                raise RankingError(
                    f"price_option: {chosen!r} is not an option for {lot} "
                    f"(options: {', '.join(options)})",
                    loc=("price_option",),
                )
            else:
                weekly = options[chosen]
                notes.append(
                    f"Price: {lot} {chosen} {gbp(weekly)} a week, the framework's fixed price "
                    f"({rule.source})."
                )
        elif hourly is not None:
            notes.append(
                f"Price: the framework's fixed rate {gbp(hourly)}/h x {hours} h a week "
                f"({rule.source})."
            )
        else:
            notes.append(f"Price: the policy publishes no rate for {lot}; no price shown.")
    elif rule.basis == "zone" and zone is not None:
        hourly = zone.hourly_rate_pence
        if hourly is None:
            notes.append(f"Price: zone {zone.name} has no hourly rate; no price shown.")
        else:
            notes.append(
                f"Price: the zone's rate {gbp(hourly)}/h x {hours} h a week ({rule.source})."
            )
    elif rule.basis == "provider":
        notes.append(f"Price: each provider's own hourly rate x {hours} h a week.")

    def terms(p: Provider) -> tuple[int | None, int | None]:
        rate = p.hourly_rate_pence if rule.basis == "provider" else hourly
        if rate is None:
            return None, weekly
        return rate, weekly_pence(seconds, rate)

    return terms, notes
