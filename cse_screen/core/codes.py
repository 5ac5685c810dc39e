"""The code lists of a child's care details: placement type, legal status, gender, ethnicity.

A child's record stores these details as codes and every screen, export and document shows
them as labels (:func:`label`). The codes are the SSDA903 ones where the return has one
(PLACE, LS, SEX, ETHNIC), so the council's own annual return can keep the register current
(:mod:`cse_screen.core.ssda903`) and a lead reading a workbook sees the words the Department for
Education uses. The return's other lists the import reads (reason for new episode, reason
episode ceased, missing or away) are here too, so that one module holds every code and word.

Free-text values typed before the lists existed ("Foster care", "semi independent") map to a
code through :data:`ALIASES`, the same table the schema migration used; a value that maps to
nothing is kept as typed, shown as typed, and listed by ``verify`` for a person to correct.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    #: False for a code the current SSDA903 year no longer accepts (H5, P2, Z1): still shown
    #: and still accepted, as records and older returns hold it.
    current: bool = True


def _codes(*rows: tuple[str, str] | tuple[str, str, bool]) -> tuple[Code, ...]:
    return tuple(Code(*row) for row in rows)


#: Episodes.PLACE, the 2023/24 and 2025/26 code sets together (H5, P2, Z1 replaced by K3 and
#: Z11 to Z14; the meanings of Z11 to Z14 are not published in the sources held).
PLACEMENT_TYPES = _codes(
    ("A3", "Placed for adoption with consent, with current foster carer"),
    ("A4", "Placed for adoption with consent, not with current foster carer"),
    ("A5", "Placed for adoption with placement order, with current foster carer"),
    ("A6", "Placed for adoption with placement order, not with current foster carer"),
    ("H5", "Semi-independent living (not regulated as a children's home)", False),
    ("K1", "Secure children's home"),
    ("K2", "Children's home"),
    ("K3", "Registered supported accommodation"),
    ("P1", "Placed with own parents or others with parental responsibility"),
    ("P2", "Independent living (flat, lodgings, bedsit, B&B, with friends)", False),
    ("P3", "Residential employment"),
    ("R1", "Residential care home"),
    ("R2", "NHS or health trust establishment providing medical or nursing care"),
    ("R3", "Family centre or mother and baby unit"),
    ("R5", "Young offender institution"),
    ("S1", "Residential school"),
    ("T0", "Temporary move"),
    ("T1", "Temporary period in hospital"),
    ("T2", "Temporary absence on holiday"),
    ("T3", "Temporary accommodation while foster carer on holiday"),
    ("T4", "Temporary accommodation of seven days or less"),
    ("U1", "Foster placement with relative or friend, long term"),
    ("U2", "Foster placement with relative or friend, fostering for adoption"),
    ("U3", "Foster placement with relative or friend"),
    ("U4", "Foster placement with other foster carer, long term"),
    ("U5", "Foster placement with other foster carer, fostering for adoption"),
    ("U6", "Foster placement with other foster carer"),
    ("Z1", "Other placement", False),
    ("Z11", "Other placement (Z11)"),
    ("Z12", "Other placement (Z12)"),
    ("Z13", "Other placement (Z13)"),
    ("Z14", "Other placement (Z14)"),
)
#: Episodes.LS.
LEGAL_STATUSES = _codes(
    ("C1", "Interim care order"),
    ("C2", "Full care order"),
    ("D1", "Freeing order granted"),
    ("E1", "Placement order granted"),
    ("V2", "Section 20, single period of accommodation"),
    ("V3", "Section 20, short breaks (episodes recorded)"),
    ("V4", "Section 20, short breaks (agreements recorded)"),
    ("L1", "Police protection, in local authority accommodation"),
    ("L2", "Emergency protection order"),
    ("L3", "Child assessment order, in local authority accommodation"),
    ("J1", "Remanded to local authority or youth detention accommodation"),
    ("J2", "Placed under PACE 1984"),
    ("J3", "Sentenced to a youth rehabilitation order with residence requirement"),
)
#: Header.SEX since 2024/25 (M, F, U), and two the record needs that the return has not.
GENDERS = _codes(
    ("F", "Female"),
    ("M", "Male"),
    ("N", "Non-binary"),
    ("O", "Other"),
    ("U", "Not known or not stated"),
)
#: Header.ETHNIC.
ETHNICITIES = _codes(
    ("WBRI", "White British"),
    ("WIRI", "White Irish"),
    ("WOTH", "Any other White background"),
    ("WIRT", "Traveller of Irish heritage"),
    ("WROM", "Gypsy or Roma"),
    ("MWBC", "White and Black Caribbean"),
    ("MWBA", "White and Black African"),
    ("MWAS", "White and Asian"),
    ("MOTH", "Any other Mixed background"),
    ("AIND", "Indian"),
    ("APKN", "Pakistani"),
    ("ABAN", "Bangladeshi"),
    ("AOTH", "Any other Asian background"),
    ("BCRB", "Black Caribbean"),
    ("BAFR", "Black African"),
    ("BOTH", "Any other Black background"),
    ("CHNE", "Chinese"),
    ("OOTH", "Any other ethnic group"),
    ("REFU", "Refused"),
    ("NOBT", "Information not yet obtained"),
)
#: Episodes.RNE: why a new episode began.
NEW_EPISODE_REASONS = _codes(
    ("S", "Started to be looked after"),
    ("L", "Change of legal status only"),
    ("P", "Change of placement and carer"),
    ("T", "Change of placement, same carer"),
    ("B", "Change of legal status and of placement and carer"),
    ("U", "Change of legal status and of placement, same carer"),
)
#: Episodes.REC: why an episode ended (X1: a new one began the same day).
EPISODE_END_REASONS = _codes(
    ("X1", "Episode ceased and a new one began the same day"),
    ("E11", "Adopted (application unopposed)"),
    ("E12", "Adopted (consent dispensed with)"),
    ("E2", "Died"),
    ("E3", "Care taken over by another local authority"),
    ("E4A", "Returned home as part of the care plan"),
    ("E4B", "Returned home, not as part of the care plan"),
    ("E13", "Left care to live with people without parental responsibility"),
    ("E41", "Residence or child arrangements order granted"),
    ("E45", "Special guardianship order to former foster carer, relative or friend"),
    ("E46", "Special guardianship order to former foster carer"),
    ("E47", "Special guardianship order to carer, relative or friend"),
    ("E48", "Special guardianship order to other carer"),
    ("E5", "Moved into independent living with formal support"),
    ("E6", "Moved into independent living without formal support"),
    ("E7", "Transferred to adult social care"),
    ("E8", "Ceased to be looked after for another reason"),
    ("E9", "Sentenced to custody"),
    ("E14", "Accommodation on remand ended"),
    ("E15", "Age assessment found the child to be 18 or over"),
    ("E16", "Moved abroad"),
    ("E17", "Aged 18 and stayed with current carers (staying put)"),
)
#: Missing.MISSING.
MISSING_KINDS = _codes(
    ("M", "Missing from care"),
    ("A", "Away from placement without authorisation"),
)

#: Kind -> its list. The first four are the child's record fields of the same names.
LISTS: dict[str, tuple[Code, ...]] = {
    "placement_type": PLACEMENT_TYPES,
    "legal_status": LEGAL_STATUSES,
    "gender": GENDERS,
    "ethnicity": ETHNICITIES,
    "new_episode_reason": NEW_EPISODE_REASONS,
    "episode_end_reason": EPISODE_END_REASONS,
    "missing": MISSING_KINDS,
}
#: The child's record fields held as codes.
RECORD_FIELDS: tuple[str, ...] = ("gender", "ethnicity", "placement_type", "legal_status")
#: How each kind is named in a sentence.
KIND_WORDS: dict[str, str] = {
    "placement_type": "placement type",
    "legal_status": "legal status",
    "gender": "gender",
    "ethnicity": "ethnicity",
    "new_episode_reason": "reason for new episode",
    "episode_end_reason": "reason episode ceased",
    "missing": "missing or away",
}

#: Values typed before the lists existed, and the older ids of the questionnaire's choices,
#: by kind: alias key (see :func:`alias_key`) -> code. Only the unambiguous ones: "EPO or
#: police protection" could be L1 or L2, so it stays as typed for a person to choose.
ALIASES: dict[str, dict[str, str]] = {
    "placement_type": {
        "foster": "U6",
        "foster_care": "U6",
        "fostering": "U6",
        "foster_inhouse": "U6",
        "foster_in_house": "U6",
        "foster_ifa": "U6",
        "ifa": "U6",
        "independent_fostering_agency": "U6",
        "kinship": "U3",
        "kinship_connected": "U3",
        "connected_person": "U3",
        "family_and_friends": "U3",
        "residential": "K2",
        "residential_home": "K2",
        "children_s_home": "K2",
        "childrens_home": "K2",
        "semi_independent": "K3",
        "semi_independent_living": "K3",
        "supported_accommodation": "K3",
        "secure": "K1",
        "secure_children_s_home": "K1",
        "placed_with_parents": "P1",
        "with_parents": "P1",
        "adoption": "A4",
        "residential_school": "S1",
        "yoi": "R5",
    },
    "legal_status": {
        "s20": "V2",
        "section_20": "V2",
        "s31": "C2",
        "s31_care_order": "C2",
        "care_order": "C2",
        "full_care_order": "C2",
        "s38": "C1",
        "s38_interim": "C1",
        "interim_care_order": "C1",
        "placement_order": "E1",
        "police_protection": "L1",
        "epo": "L2",
        "emergency_protection_order": "L2",
        "remand": "J1",
    },
    "gender": {
        "female": "F",
        "girl": "F",
        "male": "M",
        "boy": "M",
        "non_binary": "N",
        "nonbinary": "N",
        "other": "O",
        "not_stated": "U",
        "unknown": "U",
        "not_known": "U",
        "1": "M",
        "2": "F",
    },
    "ethnicity": {
        "white_british": "WBRI",
        "white_irish": "WIRI",
        "white_other": "WOTH",
        "traveller_irish_heritage": "WIRT",
        "gypsy_roma": "WROM",
        "mixed_white_black_caribbean": "MWBC",
        "mixed_white_black_african": "MWBA",
        "mixed_white_asian": "MWAS",
        "mixed_white_and_black_caribbean": "MWBC",
        "mixed_white_and_black_african": "MWBA",
        "mixed_white_and_asian": "MWAS",
        "asian_british_indian": "AIND",
        "asian_british_pakistani": "APKN",
        "asian_british_bangladeshi": "ABAN",
        "black_british_caribbean": "BCRB",
        "black_british_african": "BAFR",
        "roma": "WROM",
        "gypsy": "WROM",
        "mixed_other": "MOTH",
        "asian_indian": "AIND",
        "asian_pakistani": "APKN",
        "asian_bangladeshi": "ABAN",
        "asian_other": "AOTH",
        "black_caribbean": "BCRB",
        "black_african": "BAFR",
        "black_other": "BOTH",
        "chinese": "CHNE",
        "other": "OOTH",
        "not_obtained": "NOBT",
        "not_stated": "NOBT",
        "refused": "REFU",
    },
}


def alias_key(text: str) -> str:
    """What two spellings of one free-text value share: ``"Foster care"`` and ``foster_care``."""
    return re.sub(r"[^0-9a-z]+", "_", text.casefold()).strip("_")


@cache
def _by_code(kind: str) -> dict[str, Code]:
    return {c.code: c for c in _list(kind)}


@cache
def _by_label(kind: str) -> dict[str, str]:
    return {c.label.casefold(): c.code for c in _list(kind)}


def _list(kind: str) -> tuple[Code, ...]:
    try:
        return LISTS[kind]
    except KeyError:
        raise ValueError(f"there is no code list '{kind}'") from None


def codes(kind: str) -> tuple[Code, ...]:
    """The list's codes in the order a person picks from them."""
    return _list(kind)


def is_code(kind: str, value: str | None) -> bool:
    return value is not None and value in _by_code(kind)


def label(kind: str, code: str | None) -> str:
    """What a person reads for a stored value: the code's label; a value that is not a code
    (kept from before the lists) as it was typed; an empty string for no value."""
    if code is None:
        return ""
    found = _by_code(kind).get(code)
    return found.label if found else code


def code_for(kind: str, text: str | None) -> str | None:
    """The code that ``text`` names: the code itself (any case), its exact label (any case)
    or a known older spelling (:data:`ALIASES`); None for a blank or unknown value."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    upper = value.upper()
    if upper in _by_code(kind):
        return upper
    by_label = _by_label(kind).get(value.casefold())
    if by_label is not None:
        return by_label
    return ALIASES.get(kind, {}).get(alias_key(value))


def left_care_words(on: date, reason: str | None) -> str:
    """A child no longer looked after, in words: ``Left care 03 Mar 2026 (Adopted ...)``."""
    why = label("episode_end_reason", reason)
    return f"Left care {on:%d %b %Y}" + (f" ({why})" if why else "")
