"""The home country of each news agency, for tie-breaks between places that share a name.

`Valencia, 3 sep (EFE)` is far more likely Valencia, Spain than Valencia, Venezuela: an agency datelines most of
its stories from home. Keys are the canonical names of `newswire.wire.agencies.AGENCIES`; values ISO 3166-1
alpha-2. Agencies without one home (Reuters, Bloomberg, wire distributors) are left out on purpose.
"""

from __future__ import annotations

from newswire.wire.agencies import canonical_agency

# Facts about the agencies, written here.
AGENCY_HOME: dict[str, str] = {
    "AP": "US", "UPI": "US", "AFP": "FR", "dpa": "DE", "dpa-AFX": "DE", "EFE": "ES", "Europa Press": "ES",
    "AAP": "AU", "AAP Medianet": "AU", "PA": "GB", "BBC LDRS": "GB", "ANSA": "IT", "Kyodo": "JP", "Jiji": "JP",
    "ATS": "CH", "STT": "FI", "TT": "SE", "NTB": "NO", "Ritzau": "DK", "ANA-MPE": "GR", "ANP": "NL",
    "Belga": "BE", "APA": "AT", "TASS": "RU", "RIA Novosti": "RU", "Interfax": "RU", "Xinhua": "CN",
    "Yonhap": "KR", "Anadolu": "TR", "PAP": "PL", "CTK": "CZ", "MTI": "HU", "Lusa": "PT", "Canadian Press": "CA",
    "PTI": "IN", "IANS": "IN", "ANI": "IN", "Bernama": "MY", "Antara": "ID", "Prensa Latina": "CU",
    "Notimex": "MX", "NZPA": "NZ", "BusinessDesk": "NZ", "Scoop": "NZ",
}  # fmt: skip


def home_country(agency: str | None) -> str | None:
    """The ISO country an agency (as any feed names it) is based in, or None when unknown or worldwide."""
    canonical = canonical_agency(agency)
    return AGENCY_HOME.get(canonical) if canonical else None
