"""The register as a Fides datamap, and a Fides datamap read back into a workbook.

**Export** (:func:`fides_datamap`): fideslang resources in one mapping, the shape of a
fideslang manifest (``fideslang.models.Taxonomy``): the ``organization`` (the controller
and its DPO, Art. 30(1)(a)), the custom ``data_subject`` resources the default taxonomy
lacks (``taxonomy.CUSTOM_DATA_SUBJECTS``), and one ``system`` per internal system (the
``systems`` table) and per processor or other recipient on record (``processors``).
Each activity of the period is a privacy declaration on every system it uses and on
every processor it sends data to (Art. 30(1)(b)-(d), (f)): data use from its purpose,
lawful basis (Art. 6(1)), special categories and their Art. 9(2) condition, data
subjects, categories, retention, and the third parties (Art. 4(10): recipients other
than the organisation's processors). The flows are the systems' ``egress`` (an internal
system to the processors of its activities) and ``ingress`` (a processor from those
systems); ``does_international_transfers`` and ``legal_basis_for_transfers`` are the
transfers judged on the period's last day (Art. 30(1)(e), GDPR and UK GDPR Chapter V),
as the flows report judges them. ``fideslang_version`` names the taxonomy used.

What fideslang has no field for (an activity's start and end dates, offices, source,
security measures, role; a processor's country and DPF dates; where a system runs)
travels in each system's ``meta`` under ``juro_privacy``, fideslang's place for "any
extra information for a resource", so that a datamap written here reads back whole.

**Import** (:func:`workbook_tables`): a Fides datamap (a manifest with ``system``, a list
of systems, or one system; YAML or JSON), each system parsed with fideslang's own
``System`` model, becomes the workbook's ``activities``, ``processors``, ``systems`` and
``categories`` tables (text cells in the CSV layout of the workbook, :func:`tables_csv`).
A system is a processor when its ``meta`` says so, or it has a ``vendor_id``, or its
``system_type`` is ``Third Party`` or ``Vendor``; every other system is internal. A
value the workbook has no place for (a data use outside the four purposes, a data
subject or category it has no equivalent of, a key no taxonomy knows) raises one
:class:`FidesError` naming the file, the system and declaration, and the field. Columns
a datamap from another tool does not fill are left empty: ``juro-privacy validate``
names each one to fill in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

import pandas as pd
import yaml
from fideslang.default_taxonomy import DEFAULT_TAXONOMY
from fideslang.models import DataCategory, DataSubject, System
from pydantic import ValidationError

from juro_privacy.errors import InputError
from juro_privacy.findings import records
from juro_privacy.topics.register.taxonomy import (
    ART9_FIDES,
    CATEGORY_GROUP_BY_KEY,
    CRIMINAL_FIDES,
    CUSTOM_DATA_SUBJECTS,
    DATA_USE_PURPOSE,
    FIDES_TRANSFER_MECHANISM,
    FIDESLANG_VERSION,
    LAWFUL_BASIS_FIDES,
    PURPOSE_DATA_USE,
    SPECIAL_FIDES,
    SUBJECT_KEYS,
    TRANSFER_BASIS_FIDES,
    art9_point,
    fides_key,
    nearest,
    under,
)
from juro_privacy.workbook.schemas import TABLES_BY_NAME

#: The key of a system's ``meta`` holding the workbook's columns fideslang has no field for.
META: Final = "juro_privacy"
#: ``system_type`` of an internal system and of a processor (or other recipient on record).
INTERNAL_TYPE: Final = "Service"
PROCESSOR_TYPE: Final = "Third Party"
#: The four tables an import writes, in this order.
IMPORTED_TABLES: Final = ("activities", "processors", "systems", "categories")

#: Per table, the columns a fideslang field holds; every other column goes to ``meta``.
HELD: Final[dict[str, frozenset[str]]] = {
    "activities": frozenset(
        {"activity_id", "name", "purpose", "data_subjects", "data_categories", "systems"}
        | {"recipients", "lawful_basis", "art9_condition"}
    ),
    "processors": frozenset({"processor_id", "name", "service", "relationship"}),
    "systems": frozenset({"system_id", "name"}),
}
_ROLE_TITLE = {"controller": "Controller", "processor": "Processor"}
_TITLE_ORDER = ("Controller", "Processor", "Sub-Processor")
_SUBJECT_OF_KEY = {v: k for k, v in SUBJECT_KEYS.items()}
_LAWFUL_BASIS_OF = {v: k for k, v in LAWFUL_BASIS_FIDES.items() if v is not None}
_ART9_OF = {v: f"Art. 9(2)({k})" for k, v in ART9_FIDES.items()}
_DECLARATION_ID = re.compile(r"^(\S+) (.+)$")


class FidesError(InputError):
    """A Fides datamap the workbook cannot take: the file, where in it, the field, why
    (exit 2)."""

    def __init__(self, file: str, where: str, field: str | None, message: str) -> None:
        self.file, self.where, self.field, self.message = file, where, field, message
        place = ", ".join(p for p in (where, f"field '{field}'" if field else "") if p)
        super().__init__(f"{file}: {place}: {message}" if place else f"{file}: {message}")


# --- export -----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A cell as JSON: dates ISO, lists as lists, numpy scalars as Python, NA as None."""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if not isinstance(value, (list, tuple)) and pd.isna(value):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _extras(table: str, row: Mapping[str, Any], held: Iterable[str] = ()) -> dict[str, Any]:
    """The columns of ``row`` (other than ``held``) as JSON, omitting empty cells."""
    out: dict[str, Any] = {}
    for col in TABLES_BY_NAME[table].columns:
        if col.name in held or col.name not in row:
            continue
        value = _plain(row[col.name])
        if value is not None and value != []:
            out[col.name] = value
    return out


def _retention(rule_id: Any, rules: Mapping[str, Mapping[str, Any]]) -> str | None:
    """Art. 30(1)(f) in words: the rule, and when data is archived and deleted."""
    if _plain(rule_id) is None:
        return None
    rule = rules.get(str(rule_id))
    if rule is None:
        return str(rule_id)
    text = f"{rule_id}: {rule['description']}"
    if _plain(rule.get("delete_after_months")) is None:
        return text
    when = [f"deleted {int(rule['delete_after_months'])} months after last use"]
    if _plain(rule.get("archive_after_months")) is not None:
        when.insert(0, f"archived after {int(rule['archive_after_months'])} months")
    return f"{text} ({', '.join(when)})"


def _transfers(flows: pd.DataFrame, pairs: set[tuple[str, str]]) -> tuple[bool, list[str]]:
    """Whether the (activity, processor) ``pairs`` transfer data internationally on the
    period's last day, and the fideslang bases they rest on."""
    international, bases = False, set()
    for f in records(flows):
        if (str(f["activity_id"]), str(f["processor_id"])) not in pairs:
            continue
        status = f["status_at_end"]
        if status in (None, "not_restricted"):
            continue
        international = True
        basis = f["mechanism"] if status == "safeguarded" else status
        if basis in TRANSFER_BASIS_FIDES:
            bases.add(TRANSFER_BASIS_FIDES[str(basis)])
    return international, sorted(bases)


def _titles(titles: Iterable[str]) -> list[str]:
    """fideslang ``DataResponsibilityTitle`` values, each once, in the enum's order."""
    present = set(titles)
    return [t for t in _TITLE_ORDER if t in present]


def _flows(targets: Mapping[str, set[str]], kind: str = "system") -> list[dict[str, Any]] | None:
    """fideslang ``DataFlow`` entries, one per target with its data categories."""
    flows = [
        {"fides_key": k, "type": kind, "data_categories": sorted(targets[k])}
        for k in sorted(targets)
    ]
    return flows or None


def fides_datamap(
    activities: pd.DataFrame,
    systems: pd.DataFrame,
    processors: pd.DataFrame,
    categories: pd.DataFrame,
    retention_rules: pd.DataFrame,
    flows: pd.DataFrame,
    *,
    organisation: str,
    dpo: str,
    controller_contact: str = "",
    dpo_contact: str = "",
) -> dict[str, Any]:
    """The register of ``activities`` (those of the period) as a Fides datamap (see the
    module's docstring); ``flows`` is the period's flow table (``build_flows``)."""
    org = fides_key(organisation)
    keys = {
        str(c): str(k)
        for c, k in zip(categories["category_id"], categories["fides_key"], strict=True)
    }
    cats = set(keys)
    special = {
        str(c)
        for c, s in zip(categories["category_id"], categories["special"], strict=True)
        if _plain(s) is True
    }
    rules = {str(r["rule_id"]): r for r in records(retention_rules)}
    procs = {str(p["processor_id"]): p for p in records(processors)}
    acts = sorted(records(activities), key=lambda a: str(a["activity_id"]))
    dpo_text = f"{dpo} ({dpo_contact})" if dpo_contact else dpo
    subjects_used: set[str] = set()

    def declaration(a: dict[str, Any], **flows_: list[str] | None) -> dict[str, Any]:
        ids = [c for c in a["data_categories"] if c in cats]
        shared = [r for r in a["recipients"] or () if _third_party(procs.get(str(r)))]
        subjects = sorted({SUBJECT_KEYS[s] for s in a["data_subjects"]})
        subjects_used.update(subjects)
        basis = _plain(a.get("lawful_basis"))
        point = art9_point(_plain(a.get("art9_condition")))
        return {
            "name": f"{a['activity_id']} {a['name']}",
            "data_categories": sorted({keys[c] for c in ids}),
            "data_use": PURPOSE_DATA_USE[a["purpose"]],
            "data_subjects": subjects,
            **{k: v for k, v in flows_.items() if v},
            "flexible_legal_basis_for_processing": False,
            "legal_basis_for_processing": LAWFUL_BASIS_FIDES[basis] if basis else None,
            "retention_period": _retention(a.get("retention_rule"), rules),
            "processes_special_category_data": any(c in special for c in ids),
            "special_category_legal_basis": ART9_FIDES[point] if point else None,
            "data_shared_with_third_parties": bool(shared),
            "third_parties": "; ".join(_name(procs, r) for r in sorted(shared)) or None,
            "shared_categories": sorted({keys[c] for c in ids}) if shared else [],
        }

    def activity_meta(a: dict[str, Any]) -> dict[str, Any]:
        extra = _extras("activities", a, HELD["activities"])
        extra["data_categories"] = sorted(a["data_categories"])  # the ids behind the keys
        basis = _plain(a.get("lawful_basis"))
        if basis and LAWFUL_BASIS_FIDES[basis] is None:
            extra["lawful_basis"] = basis
        art9 = _plain(a.get("art9_condition"))
        point = art9_point(art9)
        if art9 and (point is None or art9 != f"Art. 9(2)({point})"):
            extra["art9_condition"] = art9
        return extra

    out_systems: list[dict[str, Any]] = []
    first_system = min(str(x) for x in systems["system_id"])
    for s in sorted(records(systems), key=lambda s: str(s["system_id"])):
        sid = str(s["system_id"])
        mine = [a for a in acts if sid in a["systems"]]
        egress: dict[str, set[str]] = {}
        for a in mine:
            for r in a["recipients"] or ():
                if str(r) in procs:
                    egress.setdefault(str(r), set()).update(keys[c] for c in a["data_categories"])
        pairs = {(str(a["activity_id"]), str(r)) for a in mine for r in egress}
        international, bases = _transfers(flows, pairs)
        meta = _extras("systems", s, HELD["systems"])
        if sid == first_system:  # the categories table, once: ids, names, groups, flags
            meta["categories"] = [
                _extras("categories", c)
                for c in sorted(records(categories), key=lambda c: str(c["category_id"]))
            ]
        first = {str(a["activity_id"]): activity_meta(a) for a in mine if min(a["systems"]) == sid}
        if first:
            meta["activities"] = first
        hosted = procs.get(str(_plain(s.get("processor_id"))))
        out_systems.append(
            {
                "fides_key": sid,
                "organization_fides_key": org,
                "name": s["name"],
                "description": f"Internal system of {organisation}"
                + (f", hosted by {hosted['name']}" if hosted else ""),
                "meta": {META: {"table": "systems", **meta}},
                "system_type": INTERNAL_TYPE,
                "egress": _flows(egress),
                "privacy_declarations": [
                    declaration(
                        a, egress=sorted(str(r) for r in a["recipients"] or () if r in egress)
                    )
                    for a in mine
                ],
                "does_international_transfers": international,
                "legal_basis_for_transfers": bases,
                "responsibility": _titles(_ROLE_TITLE[a["role"]] for a in mine),
                "dpo": dpo_text,
                "legal_name": organisation,
                "legal_address": controller_contact or None,
                "uses_profiling": _profiles(mine),
                "data_security_practices": "; ".join(
                    sorted(
                        {
                            str(a["security_measures"])
                            for a in mine
                            if _plain(a.get("security_measures"))
                        }
                    )
                )
                or None,
            }
        )
    for pid, p in sorted(procs.items()):
        mine = [a for a in acts if pid in (a["recipients"] or ())]
        ingress: dict[str, set[str]] = {}
        for a in mine:
            for sid in a["systems"]:
                ingress.setdefault(str(sid), set()).update(keys[c] for c in a["data_categories"])
        international, bases = _transfers(flows, {(str(a["activity_id"]), pid) for a in mine})
        out_systems.append(
            {
                "fides_key": pid,
                "organization_fides_key": org,
                "name": p["name"],
                "description": _plain(p.get("service")),
                "meta": {
                    META: {"table": "processors", **_extras("processors", p, HELD["processors"])}
                },
                "system_type": PROCESSOR_TYPE,
                "ingress": _flows(ingress),
                "privacy_declarations": [
                    declaration(a, ingress=sorted(str(s) for s in a["systems"])) for a in mine
                ],
                "does_international_transfers": international,
                "legal_basis_for_transfers": bases,
                "responsibility": _recipient_titles(p, mine),
                "legal_name": p["name"],
                "uses_profiling": _profiles(mine),
            }
        )
    return {
        "fideslang_version": FIDESLANG_VERSION,
        "organization": [
            {
                "fides_key": org,
                "name": organisation,
                "description": "Record of processing activities (Art. 30) exported by juro_privacy",
                "controller": {"name": organisation, "address": controller_contact},
                "data_protection_officer": {"name": dpo, "address": dpo_contact},
            }
        ],
        "data_subject": [
            {**CUSTOM_DATA_SUBJECTS[k], "organization_fides_key": org}
            for k in sorted(subjects_used & set(CUSTOM_DATA_SUBJECTS))
        ],
        "system": out_systems,
    }


def _profiles(acts: Iterable[Mapping[str, Any]]) -> bool:
    """fideslang's ``uses_profiling`` ("to profile a consumer in a way that has a legal
    effect"): an activity making automated decisions with legal or similarly significant
    effect (Art. 22(1); WP248 criterion 2, the register's ``automated_decisions``)."""
    return any(_plain(a.get("automated_decisions")) is True for a in acts)


def _third_party(processor: Mapping[str, Any] | None) -> bool:
    """A recipient other than the organisation's processors is a third party (Art. 4(10)
    GDPR and UK GDPR: "other than the data subject, controller, processor and persons
    who, under the direct authority of the controller or processor, are authorised to
    process personal data")."""
    if processor is None:
        return True
    return (_plain(processor.get("relationship")) or "processor") != "processor"


def _name(procs: Mapping[str, Mapping[str, Any]], rid: Any) -> str:
    p = procs.get(str(rid))
    return str(p["name"]) if p is not None else str(rid)


def _recipient_titles(p: Mapping[str, Any], acts: list[dict[str, Any]]) -> list[str]:
    """A recipient's role for the organisation's data: a controller in its own right; a
    processor (Art. 28(1)) for the activities done as controller; a sub-processor
    (Art. 28(2), (4)) for those done as processor for a customer."""
    if _third_party(p):
        return ["Controller"]
    roles = {a["role"] for a in acts} or {"controller"}
    return _titles("Processor" if r == "controller" else "Sub-Processor" for r in roles)


# --- import -----------------------------------------------------------------------------


def parse_datamap(text: str, file: str) -> list[dict[str, Any]]:
    """The systems of a Fides datamap (YAML or JSON text): a manifest's ``system`` list, a
    list of systems, or one system. Custom ``data_subject`` and ``data_category``
    resources of a manifest are kept in each system under ``_custom`` for the mapping."""
    try:
        data = json.loads(text) if file.lower().endswith(".json") else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        kind = "JSON" if file.lower().endswith(".json") else "YAML"
        raise FidesError(file, "", None, f"is not valid {kind} ({exc})".replace("\n", " ")) from exc
    custom: dict[str, Any] = {"data_subject": [], "data_category": []}
    if isinstance(data, dict) and "system" in data:
        for kind in custom:
            custom[kind] = data.get(kind) or []
        systems = data["system"]
    elif isinstance(data, dict) and "privacy_declarations" in data:
        systems = [data]
    else:
        systems = data
    if not isinstance(systems, list) or not all(isinstance(s, dict) for s in systems):
        raise FidesError(
            file,
            "",
            "system",
            "is not a Fides datamap: no list of systems with privacy declarations",
        )
    for kind, model in (("data_subject", DataSubject), ("data_category", DataCategory)):
        for i, item in enumerate(custom[kind]):
            try:
                model.model_validate(item)
            except ValidationError as exc:
                raise _validation(file, f"{kind}[{i}]", exc) from exc
    return [{**s, "_custom": custom} for s in systems]


def _validation(file: str, where: str, exc: ValidationError) -> FidesError:
    """fideslang's first complaint about a resource, as a :class:`FidesError`."""
    err = exc.errors()[0]
    loc = [str(x) for x in err["loc"]]
    path = where + "".join(f"[{x}]" if x.isdigit() else f".{x}" for x in loc[:-1])
    message = str(err["msg"]).removeprefix("Assertion failed, ").removeprefix("Value error, ")
    return FidesError(file, path, loc[-1] if loc else None, message)


def _where(system: str, i: int, declaration: str | None = None, j: int | None = None) -> str:
    """Where in the datamap: ``system 'app_db' (system[0]), privacy declaration '...'``."""
    text = f"system '{system}' (system[{i}])"
    if j is not None:
        text += f", privacy declaration '{declaration}' (privacy_declarations[{j}])"
    return text


class _Categories:
    """The categories an import writes: the datamap's own table when it carries one (a
    datamap written here), else one row per fideslang key, named from the taxonomy."""

    def __init__(self, file: str, custom: Iterable[Mapping[str, Any]], rows: list[Any]):
        self.file = file
        self.known = {
            c.fides_key: (c.name or c.fides_key, c.description or "")
            for c in DEFAULT_TAXONOMY.data_category
        }
        for c in custom:
            self.known[str(c["fides_key"])] = (
                str(c.get("name") or c["fides_key"]),
                str(c.get("description") or ""),
            )
        self.rows: dict[str, dict[str, Any]] = {str(r["category_id"]): dict(r) for r in rows}

    def key_of(self, category_id: str, where: str, field: str) -> str:
        """The fideslang key of a category id of the datamap's ``meta``."""
        if category_id not in self.rows:
            raise FidesError(
                self.file,
                where,
                field,
                f"category '{category_id}' is not in the datamap's categories",
            )
        return str(self.rows[category_id]["fides_key"])

    def ids(self, keys: Iterable[str], where: str, field: str) -> list[str]:
        """The category ids of fideslang ``keys``: the datamap's own category with that
        key (the first by id), else a new one."""
        out = set()
        for key in keys:
            if key not in self.known:
                raise FidesError(
                    self.file,
                    where,
                    field,
                    f"data category '{key}' is in neither "
                    "fideslang's default taxonomy nor the datamap's data_category",
                )
            if not key.startswith("user"):
                raise FidesError(
                    self.file,
                    where,
                    field,
                    f"data category '{key}' is not personal data "
                    "about a person: the register has no group for it",
                )
            mine = sorted(i for i, r in self.rows.items() if r["fides_key"] == key)
            if not mine:
                name, description = self.known[key]
                self.rows[_category_id(key)] = {
                    "category_id": _category_id(key),
                    "name": name,
                    "group": nearest(key, CATEGORY_GROUP_BY_KEY),
                    "fides_key": key,
                    "special": under(key, SPECIAL_FIDES),
                    "description": description or name,
                    "criminal": under(key, CRIMINAL_FIDES),
                }
                mine = [_category_id(key)]
            out.add(mine[0])
        return sorted(out)


def _category_id(key: str) -> str:
    return key.replace(".", "_")


def _is_processor(s: System) -> bool:
    table = ((s.meta or {}).get(META) or {}).get("table")
    if table is not None:
        return bool(table == "processors")
    return bool(s.vendor_id) or s.system_type.strip().lower() in ("third party", "vendor")


def workbook_tables(systems: list[dict[str, Any]], file: str) -> dict[str, pd.DataFrame]:
    """The datamap's ``systems`` (from :func:`parse_datamap`) as the workbook's
    ``activities``, ``processors``, ``systems`` and ``categories`` tables: text cells, in
    the contract's column order (see the module's docstring for the mapping)."""
    parsed: list[System] = []
    for i, raw in enumerate(systems):
        try:
            parsed.append(System.model_validate({k: v for k, v in raw.items() if k != "_custom"}))
        except ValidationError as exc:
            raise _validation(file, _where(str(raw.get("fides_key")), i), exc) from exc
    custom = systems[0]["_custom"] if systems else {"data_subject": [], "data_category": []}
    metas = [dict((s.meta or {}).get(META) or {}) for s in parsed]
    cats = _Categories(
        file, custom["data_category"], [r for m in metas for r in m.pop("categories", [])]
    )
    subjects = set(_SUBJECT_OF_KEY) - set(CUSTOM_DATA_SUBJECTS)
    subjects |= {str(d["fides_key"]) for d in custom["data_subject"]}
    kinds = {s.fides_key: _is_processor(s) for s in parsed}
    names = {str(p.name): p.fides_key for p in parsed}
    extras: dict[str, dict[str, Any]] = {}
    for m in metas:
        extras.update(m.pop("activities", None) or {})
    acts: dict[str, dict[str, Any]] = {}
    out_systems: list[dict[str, Any]] = []
    out_procs: list[dict[str, Any]] = []
    for i, (s, meta) in enumerate(zip(parsed, metas, strict=True)):
        for j, d in enumerate(s.privacy_declarations):
            where = _where(s.fides_key, i, d.name, j)
            act = _activity(acts, extras, d, where, file)
            cats.ids(d.data_categories, where, "data_categories")
            act["_keys"].update(d.data_categories)
            for key in d.data_subjects:
                if key not in subjects:
                    raise FidesError(
                        file,
                        where,
                        "data_subjects",
                        f"data subject '{key}' has no "
                        "equivalent among the register's data subjects",
                    )
                act["data_subjects"].add(_SUBJECT_OF_KEY.get(key, key))
            (act["recipients"] if kinds[s.fides_key] else act["systems"]).add(s.fides_key)
            act["recipients"].update(r for r in d.egress or () if kinds.get(r))
            for token in (d.third_parties or "").split(";"):
                if token.strip():
                    act["recipients"].add(names.get(token.strip(), fides_key(token)))
            act["_basis"].append((d.legal_basis_for_processing, where))
            act["_art9"].append(d.special_category_legal_basis)
            act["_titles"].append(s.responsibility)
            act["_security"].append(s.data_security_practices)
        where = _where(s.fides_key, i)
        meta.pop("table", None)
        for cid in meta.get("data_categories", []):
            cats.key_of(str(cid), where, f"meta.{META}.data_categories")
        for f in (s.ingress or []) + (s.egress or []):
            cats.ids(f.data_categories or (), where, "egress/ingress data_categories")
        if kinds[s.fides_key]:
            titles = s.responsibility or []
            row: dict[str, Any] = {
                "processor_id": s.fides_key,
                "name": s.name or s.fides_key,
                "service": s.description or "",
                "relationship": "independent_controller" if "Controller" in titles else "processor",
            }
            mechanisms = sorted(
                FIDES_TRANSFER_MECHANISM[b]
                for b in s.legal_basis_for_transfers
                if b in FIDES_TRANSFER_MECHANISM
            )
            if mechanisms:
                row["mechanism"] = mechanisms[0]
            out_procs.append({**row, **meta})
        else:
            out_systems.append({"system_id": s.fides_key, "name": s.name or s.fides_key, **meta})
    out_acts = [_finish(a, extras.get(aid, {}), cats, file) for aid, a in sorted(acts.items())]
    for srow in out_systems:
        if "data_categories" not in srow:  # what it holds: what its activities process
            held: set[str] = set()
            for a in out_acts:
                if srow["system_id"] in a["systems"]:
                    held |= set(a["data_categories"])
            srow["data_categories"] = sorted(held)
    return {
        "activities": _frame("activities", out_acts),
        "processors": _frame("processors", sorted(out_procs, key=lambda p: p["processor_id"])),
        "systems": _frame("systems", sorted(out_systems, key=lambda s: s["system_id"])),
        "categories": _frame("categories", [cats.rows[c] for c in sorted(cats.rows)]),
    }


def _activity(
    acts: dict[str, dict[str, Any]], extras: Mapping[str, Any], d: Any, where: str, file: str
) -> dict[str, Any]:
    """The activity a declaration belongs to: by the workbook id that starts its name (a
    datamap written here), else by its whole name."""
    name = (d.name or "").strip()
    if not name:
        raise FidesError(
            file,
            where,
            "name",
            "a privacy declaration needs a name: the register's activity is found by it",
        )
    found = _DECLARATION_ID.match(name)
    if found and found.group(1) in extras:
        aid, title = found.group(1), found.group(2)
    else:
        aid = next((k for k, a in acts.items() if a["name"] == name), f"A{len(acts) + 1:02d}")
        title = name
    purpose = nearest(d.data_use, DATA_USE_PURPOSE)
    if purpose is None:
        raise FidesError(
            file,
            where,
            "data_use",
            f"data use '{d.data_use}' is none of the "
            "register's purposes (service, analytics, support, marketing)",
        )
    act = acts.setdefault(
        aid,
        {
            "activity_id": aid,
            "name": title,
            "purpose": purpose,
            "_keys": set(),
            "data_subjects": set(),
            "systems": set(),
            "recipients": set(),
            "_basis": [],
            "_art9": [],
            "_titles": [],
            "_security": [],
            "_where": where,
        },
    )
    if act["purpose"] != purpose:
        raise FidesError(
            file,
            where,
            "data_use",
            f"data use '{d.data_use}' differs from "
            f"the purpose '{act['purpose']}' of the same activity at "
            f"{act['_where']}",
        )
    return act


def _finish(
    act: dict[str, Any], extra: Mapping[str, Any], cats: _Categories, file: str
) -> dict[str, Any]:
    """An activity's row: the declarations' values, then its ``meta`` columns. Its
    categories are the ids of ``meta`` while their keys are still the declarations'
    (a category changed in Fides wins)."""
    bases = {b for b, _ in act["_basis"] if b}
    if len(bases) > 1:
        raise FidesError(
            file,
            act["_basis"][-1][1],
            "legal_basis_for_processing",
            f"the declarations of one activity give different bases: {', '.join(sorted(bases))}",
        )
    row: dict[str, Any] = {k: v for k, v in act.items() if not k.startswith("_")}
    extra = dict(extra)
    ids = [str(c) for c in extra.pop("data_categories", [])]
    where = str(act["_where"])
    if not ids or {cats.key_of(c, where, "data_categories") for c in ids} != act["_keys"]:
        ids = cats.ids(act["_keys"], where, "data_categories")
    row["data_categories"] = ids
    for k in ("data_categories", "data_subjects", "systems", "recipients"):
        row[k] = sorted(row[k])
    if bases:
        row["lawful_basis"] = _LAWFUL_BASIS_OF[bases.pop()]
    art9 = sorted({b for b in act["_art9"] if b})
    if art9:
        row["art9_condition"] = _ART9_OF[art9[0]]
    titles = [set(t or ()) for t in act["_titles"]]
    row["role"] = (
        "processor" if titles and all(t == {"Processor"} for t in titles) else "controller"
    )
    security = sorted({s for s in act["_security"] if s})
    if security:
        row["security_measures"] = "; ".join(security)
    row.update(extra)
    return row


def _cell(value: Any) -> str:
    """A value as the workbook's CSV writes it: lists ``;``-separated, booleans
    ``true``/``false``, nothing as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, set)):
        return ";".join(str(v) for v in value)
    return str(value)


def _frame(table: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    columns = TABLES_BY_NAME[table].column_names
    return pd.DataFrame(
        [[_cell(r.get(c)) for c in columns] for r in rows], columns=columns, dtype=object
    )


def tables_csv(tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """Each table as the text of its workbook CSV file (``<table>.csv``)."""
    out = {}
    for name, frame in tables.items():
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(frame.columns)
        writer.writerows(frame.itertuples(index=False, name=None))
        out[f"{name}.csv"] = buf.getvalue()
    return out


def unfilled(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """The required columns an import left empty, with how many rows: what the DPO fills
    in before ``juro-privacy validate`` accepts the workbook."""
    notes = []
    for name, frame in tables.items():
        for col in TABLES_BY_NAME[name].columns:
            empty = int((frame[col.name] == "").sum()) if len(frame) else 0
            if col.required and empty:
                notes.append(f"{name}.{col.name}: {empty} of {len(frame)} rows empty")
    return notes
